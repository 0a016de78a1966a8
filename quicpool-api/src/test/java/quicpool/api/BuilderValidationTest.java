// SPDX-License-Identifier: Apache-2.0
package quicpool.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Invalid configuration fails at build time, naming the field, its value and the rule. */
@Timeout(10)
class BuilderValidationTest {
    private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 4433);

    private static ClientPoolBuilder client() {
        return QuicPools.client().serverAddress(SERVER);
    }

    @Test
    void defaultsAreValidAndSecure() {
        ClientPoolConfig c = client().config();
        assertThat(c.minCapacity()).isEqualTo(1);
        assertThat(c.maxCapacity()).isEqualTo(128);
        assertThat(c.tlsMode()).isEqualTo(TlsMode.VERIFIED);
        assertThat(c.handshakeTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.addressResolver().get()).isEqualTo(SERVER);
    }

    @Test
    void capacityBoundsAreChecked() {
        assertThatThrownBy(() -> client().capacity(0, 10).config())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("minCapacity must be between 1 and 8192, was 0");
        assertThatThrownBy(() -> client().capacity(1, 9000).config())
                .hasMessage("maxCapacity must be between 1 and 8192, was 9000");
        assertThatThrownBy(() -> client().capacity(20, 10).config())
                .hasMessage("capacity: min must not exceed max, was min 20 > max 10");
    }

    @Test
    void intervalsAndTimeoutsMustBePositiveAndOrdered() {
        assertThatThrownBy(() -> client().refillInterval(Duration.ZERO, Duration.ofSeconds(1)).config())
                .hasMessage("minInterval must be a positive duration, was PT0S");
        assertThatThrownBy(() -> client().refillInterval(Duration.ofSeconds(2), Duration.ofSeconds(1)).config())
                .hasMessage("refillInterval: min must not exceed max, was min PT2S > max PT1S");
        assertThatThrownBy(() -> client().keepAlive(Duration.ofSeconds(-1)).config())
                .hasMessage("keepAlive must be a positive duration, was PT-1S");
        assertThatThrownBy(() -> client().handshakeTimeout(Duration.ZERO).config())
                .hasMessageStartingWith("handshakeTimeout must be a positive duration");
    }

    @Test
    void aClientNeedsAServerAddress() {
        assertThatThrownBy(() -> QuicPools.client().config())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("serverAddress is not set");
    }

    @Test
    void tlsCodesMapToModes() {
        assertThat(TlsMode.fromCode("0")).isEqualTo(TlsMode.INSECURE);
        assertThat(TlsMode.fromCode("1")).isEqualTo(TlsMode.SELF_SIGNED);
        assertThat(TlsMode.fromCode("2")).isEqualTo(TlsMode.VERIFIED);
        assertThatThrownBy(() -> TlsMode.fromCode("3")).hasMessageContaining("\"3\"");
    }

    @Test
    void pinnedFingerprintMustBeASha256Digest() {
        String hex = "ab".repeat(32);
        assertThat(client().pinFingerprint(hex).config().tlsMode()).isEqualTo(TlsMode.SELF_SIGNED);
        String colons = String.join(":", java.util.Collections.nCopies(32, "AB"));
        assertThat(client().pinFingerprint(colons).config().pinnedFingerprint()).hasSize(32);
        assertThatThrownBy(() -> client().pinFingerprint("abcd"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"abcd\"");
    }

    @Test
    void serverNeedsListenAddressAndKeyMaterial() {
        assertThatThrownBy(() -> QuicPools.server().config()).hasMessageContaining("listen address is not set");
        assertThatThrownBy(() -> QuicPools.server().listen(new InetSocketAddress("127.0.0.1", 0)).config())
                .hasMessageContaining("key material is not set");
        assertThatThrownBy(() -> QuicPools.server().maxCapacity(0).config())
                .hasMessage("maxCapacity must be between 1 and 2147483647, was 0");
    }

    @Test
    void allowListRejectsHostNames() {
        assertThatThrownBy(() -> QuicPools.server().allowClient("gateway.local"))
                .hasMessageContaining("\"gateway.local\"");
    }

    @Test
    void buildWithoutEngineNamesTheArtifactToAdd() {
        assertThatThrownBy(() -> client().build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("io.quicpool:quicpool-core");
    }
}
