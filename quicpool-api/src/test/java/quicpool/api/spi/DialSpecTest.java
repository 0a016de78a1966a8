// SPDX-License-Identifier: Apache-2.0
package quicpool.api.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A dial's own settings are checked where the spec is made, so no transport has to. */
@Timeout(10)
class DialSpecTest {
    private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 4433);
    private static final QuicSettings SETTINGS = new QuicSettings(QuicSettings.ALPN, Duration.ofSeconds(10),
            Duration.ofSeconds(30), QuicSettings.STREAMS_PER_CONNECTION, 1 << 20, 16 << 20);
    private static final X509TrustManager NOBODY = new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException("a client trust manager only");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException("not called here");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    };

    @Test
    void aConnectTimeoutThatIsNotPositiveIsRejectedNamingItsValue() {
        for (Duration bad : new Duration[] {Duration.ZERO, Duration.ofMillis(-1)}) {
            assertThatThrownBy(() -> new DialSpec(SERVER, "localhost", NOBODY, SETTINGS, bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("connectTimeout must be positive, was " + bad);
        }
        assertThatThrownBy(() -> new DialSpec(SERVER, "localhost", NOBODY, SETTINGS, null))
                .isInstanceOf(NullPointerException.class).hasMessage("connectTimeout");
        assertThat(new DialSpec(SERVER, "localhost", NOBODY, SETTINGS, Duration.ofMillis(1)).connectTimeout())
                .isEqualTo(Duration.ofMillis(1));
    }
}
