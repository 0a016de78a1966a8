// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import quicpool.api.TlsInfo;
import quicpool.api.spi.QuicSettings;
import quicpool.api.spi.TransportConnection;
import quicpool.api.spi.TransportStream;
import quicpool.compliance.RequiresTransport;
import quicpool.testkit.PoolQuicSettings;

@RequiresTransport("netty")
@ExtendWith(LeakCheck.class)
@Timeout(60)
class ConnectionTest {

    @Test
    void listenerOnPortZeroReportsTheRealPortAndBothEndsKnowTheirAddresses() throws Exception {
        try (Loopback loop = new Loopback()) {
            assertThat(loop.listener().localAddress().getPort()).isPositive();
            TransportConnection client = loop.dial();
            TransportConnection server = loop.nextAccepted();

            assertThat(client.remoteAddress()).isEqualTo(loop.listener().localAddress());
            assertThat(client.localAddress().getAddress().isLoopbackAddress()).isTrue();
            assertThat(client.localAddress().getPort()).isPositive();
            assertThat(server.localAddress()).isEqualTo(loop.listener().localAddress());
            assertThat(server.remoteAddress()).isEqualTo(client.localAddress());
        }
    }

    @Test
    void tlsFactsOfBothEnds() throws Exception {
        try (Loopback loop = new Loopback()) {
            TlsInfo client = loop.dial().tlsInfo();
            TlsInfo server = loop.nextAccepted().tlsInfo();

            assertThat(client.protocol()).isEqualTo("TLSv1.3");
            assertThat(client.cipherSuite()).startsWith("TLS_");
            assertThat(client.applicationProtocol()).isEqualTo(QuicSettings.ALPN);
            assertThat(client.peerCertificates()).containsExactly(Loopback.CERT.certificate());
            assertThat(server.protocol()).isEqualTo("TLSv1.3");
            assertThat(server.cipherSuite()).isEqualTo(client.cipherSuite());
            assertThat(server.applicationProtocol()).isEqualTo(QuicSettings.ALPN);
            assertThat(server.peerCertificates()).isEmpty();
        }
    }

    @Test
    void trustManagerRefusalFailsTheDialWithItsReason() throws Exception {
        X509TrustManager refusing = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                throw new CertificateException("fingerprint ab:cd does not match the pinned one");
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try (Loopback loop = new Loopback()) {
            assertThatThrownBy(() -> loop.dial(refusing))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("fingerprint ab:cd does not match the pinned one");
            // The transport itself is unharmed.
            assertThat(loop.dial().isOpen()).isTrue();
        }
    }

    @Test
    void theTrustManagerAloneJudgesTheHostname() throws Exception {
        // The certificate names "localhost"; a trust manager that accepts the chain is obeyed even
        // though the name dialed is another: Netty adds no endpoint identification of its own.
        X509TrustManager chainOnly = Loopback.CERT.trustManager();
        try (Loopback loop = new Loopback()) {
            TransportConnection c = loop.transport.connect(new quicpool.api.spi.DialSpec(
                    loop.listener().localAddress(), "other.example", chainOnly, Loopback.settings(), Loopback.CONNECT_TIMEOUT));
            assertThat(c.isOpen()).isTrue();
            c.close(0, "done");
        }
    }

    @Test
    void onCloseRunsOnceOnBothEndsWhenThePeerCloses() throws Exception {
        try (Loopback loop = new Loopback()) {
            TransportConnection client = loop.dial();
            TransportConnection server = loop.nextAccepted();
            AtomicInteger serverRuns = new AtomicInteger();
            CountDownLatch serverClosed = new CountDownLatch(1);
            server.onClose(() -> {
                serverRuns.incrementAndGet();
                serverClosed.countDown();
            });
            CountDownLatch clientClosed = new CountDownLatch(1);
            client.onClose(clientClosed::countDown);
            TransportStream stream = client.openStream(Duration.ofSeconds(5));
            stream.outputStream().write(0);
            TransportStream serverStream = loop.nextPeerStream();
            assertThat(serverStream.inputStream().read()).isZero();

            client.close(0, "pool closed");
            client.close(0, "again"); // idempotent

            assertThat(serverClosed.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(clientClosed.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(server.isOpen()).isFalse();
            assertThat(client.isOpen()).isFalse();
            assertThatThrownBy(() -> serverStream.inputStream().read())
                    .isInstanceOf(IOException.class).hasMessageContaining("ended before the peer's FIN");
            assertThatThrownBy(() -> client.openStream(Duration.ofSeconds(1)))
                    .isInstanceOf(IOException.class).hasMessageContaining("closed");

            CountDownLatch late = new CountDownLatch(1);
            server.onClose(late::countDown); // registered after the end: runs at once
            assertThat(late.getCount()).isZero();
            assertThat(serverRuns).hasValue(1);
            stream.close();
            serverStream.close();
        }
    }

    @Test
    void serverCloseReachesTheClientWithItsCodeAndReason() throws Exception {
        try (Loopback loop = new Loopback()) {
            TransportConnection client = loop.dial();
            TransportConnection server = loop.nextAccepted();
            CountDownLatch closed = new CountDownLatch(1);
            client.onClose(closed::countDown);
            assertThat(client.closeReason()).isEmpty();

            server.close(0, "unauthorized IP");

            assertThat(closed.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(client.closeReason()).hasValue("application error 0: unauthorized IP");
            assertThat(server.closeReason()).hasValueSatisfying(r -> assertThat(r)
                    .contains("application error 0: unauthorized IP").contains("this end"));
        }
    }

    @Test
    void badArgumentsAreRefusedWithTheValue() throws Exception {
        try (Loopback loop = new Loopback()) {
            TransportConnection client = loop.dial();
            assertThatThrownBy(() -> client.close(-1, "x"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
            assertThatThrownBy(() -> client.openStream(Duration.ofSeconds(-1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT-1S");
        }
    }

    @Test
    void keepAliveHoldsAnIdleConnectionOpenBeyondTheIdleTimeout() throws Exception {
        QuicSettings brisk = PoolQuicSettings.forKeepAlive(Duration.ofMillis(500));
        try (Loopback loop = new Loopback(brisk, null)) {
            TransportConnection client = loop.dial();
            TransportConnection server = loop.nextAccepted();
            CountDownLatch closed = new CountDownLatch(1);
            client.onClose(closed::countDown);
            server.onClose(closed::countDown);

            // Idle timeout 1.5 s; nothing is sent but keep-alive probes for over twice that.
            assertThat(closed.await(4, TimeUnit.SECONDS)).isFalse();
            assertThat(client.isOpen()).isTrue();
            assertThat(server.isOpen()).isTrue();
        }
    }
}
