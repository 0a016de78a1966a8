// SPDX-License-Identifier: Apache-2.0
package quicpool.core.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(10)
class StreamIdsTest {

    @Test
    void wireBytesAreTheBigEndianIdAndTextIsTheirLowercaseHex() {
        byte[] wire = {(byte) 0xa1, (byte) 0xb2, (byte) 0xc3, (byte) 0xd4};
        int id = StreamIds.fromWire(wire);
        assertThat(StreamIds.toText(id)).isEqualTo("a1b2c3d4");
        assertThat(StreamIds.toWire(id)).containsExactly(wire);
        assertThat(StreamIds.parse("a1b2c3d4")).isEqualTo(id);
        assertThat(StreamIds.parse("A1B2C3D4")).isEqualTo(id);
        assertThat(StreamIds.toText(0)).isEqualTo("00000000");
        assertThat(StreamIds.toText(-1)).isEqualTo("ffffffff");
    }

    @Test
    void roundTripsEveryBitPattern() {
        for (long v = Integer.MIN_VALUE; v <= Integer.MAX_VALUE; v += 0x01010101L * 7 + 13) {
            int id = (int) v;
            assertThat(StreamIds.fromWire(StreamIds.toWire(id))).isEqualTo(id);
            assertThat(StreamIds.parse(StreamIds.toText(id))).isEqualTo(id);
        }
    }

    @Test
    void canonicalFormIsLowercaseAndSameInstanceWhenAlreadyLowercase() {
        String lower = "0a0b0c0d";
        assertThat(StreamIds.canonical(lower)).isSameAs(lower);
        assertThat(StreamIds.canonical("0A0B0C0D")).isEqualTo(lower);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a1b2c3d", "a1b2c3d4e", "g1b2c3d4", "a1b2-3d4", " a1b2c3d", "0x1b2c3d",
            "a1b2c3d\u0664", "a1b2c3\uff21\uff22", "a1b2c3d\u0130"}) // Arabic-Indic 4, full-width A and B, dotted I
    void rejectsMalformedIdsNamingThem(String bad) {
        assertThatThrownBy(() -> StreamIds.canonical(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("8 hex characters")
                .hasMessageContaining("\"" + bad + "\"");
        assertThatThrownBy(() -> StreamIds.parse(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("8 hex characters")
                .hasMessageContaining("\"" + bad + "\"");
    }

    @Test
    void rejectsWireFormsOfOtherLengths() {
        assertThatThrownBy(() -> StreamIds.fromWire(new byte[3])).hasMessageContaining("got 3");
    }

    @Test
    void randomIdsAreNotAllZeroAndSpread() {
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            seen.add(StreamIds.random());
        }
        assertThat(seen).hasSizeGreaterThan(990);
    }
}
