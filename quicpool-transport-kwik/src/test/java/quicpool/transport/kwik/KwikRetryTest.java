// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import quicpool.api.spi.Admission;
import quicpool.api.spi.ListenSpec;
import quicpool.api.spi.QuicTransport;
import quicpool.compliance.TransportRetryKit;
import quicpool.testkit.PoolQuicSettings;
import quicpool.testkit.TestCertificate;
import quicpool.testkit.TestCertificates;

/**
 * QUIC Retry on Kwik: refused, by the pool's builder and by the transport itself (Kwik's Retry
 * keeps a connection per first Initial whose token never returns); without it, the handshake as
 * before.
 */
class KwikRetryTest extends TransportRetryKit {
    @Override
    protected QuicTransport transport() {
        return new KwikTransport();
    }

    @Test
    void theTransportRefusesAListenSpecWithRetry() {
        TestCertificate certificate = TestCertificates.localhost();
        ListenSpec spec = new ListenSpec(new InetSocketAddress("127.0.0.1", 0), certificate.keyStore(),
                certificate.alias(), certificate.password(), PoolQuicSettings.forKeepAlive(Duration.ofSeconds(1)),
                Admission.ALL, Duration.ofSeconds(5), true);
        assertThatThrownBy(() -> new KwikTransport().listen(spec, connection -> stream -> stream.close()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Kwik cannot validate addresses with a stateless QUIC Retry");
    }
}
