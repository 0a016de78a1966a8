// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik.workaround;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The sample integers of RFC 9000 A.1, read through Kwik's decoder; a truncated one is refused. */
@Timeout(10)
class VarIntTest {

    @Test
    void readsTheRfcSamplesWithTheirSizes() {
        assertRead("c2197c5eff14e88c", 151_288_809_941_952_652L, 8);
        assertRead("9d7f3e7d", 494_878_333L, 4);
        assertRead("7bbd", 15_293L, 2);
        assertRead("25", 37L, 1);
        assertRead("4025", 37L, 2);
    }

    @Test
    void readsAtAPositionAndRefusesWhatRunsPastTheLimit() {
        byte[] data = HexFormat.of().parseHex("ff7bbd9d7f3e7d");
        long[] out = new long[2];
        assertThat(VarInt.read(data, 1, data.length, out)).isTrue();
        assertThat(out).containsExactly(15_293L, 2L);
        assertThat(VarInt.read(data, 3, 6, out)).as("4 bytes claimed, 3 before the limit").isFalse();
        assertThat(VarInt.read(data, 7, 7, out)).as("at the limit").isFalse();
        assertThat(VarInt.read(data, -1, 7, out)).as("before the start").isFalse();
    }

    private static void assertRead(String hex, long value, int size) {
        byte[] data = HexFormat.of().parseHex(hex);
        long[] out = new long[2];
        assertThat(VarInt.read(data, 0, data.length, out)).as(hex).isTrue();
        assertThat(out).as(hex).containsExactly(value, size);
    }
}
