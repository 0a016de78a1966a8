// SPDX-License-Identifier: Apache-2.0
package quicpool.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import quicpool.api.TlsInfo;
import quicpool.api.spi.DialSpec;
import quicpool.api.spi.ListenSpec;
import quicpool.api.spi.QuicSettings;
import quicpool.api.spi.TransportConnection;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class InMemoryDialTest {
    private final Fixture fx = new Fixture();

    @AfterEach
    void tearDown() throws InterruptedException {
        fx.close();
    }

    @Test
    void isAskedForByNameOnly() {
        InMemoryTransport t = new InMemoryTransport();
        assertThat(t.name()).isEqualTo("in-memory");
        assertThat(t.autoSelectable()).isFalse();
        assertThat(t.unavailableReason()).isEmpty();
        assertThat(t.network()).isSameAs(InMemoryNetwork.shared());
    }

    @Test
    void listenOnPortZeroPicksAPortAndATakenPortFailsToBind() throws Exception {
        try (InMemoryListener listener = fx.listen(fx.collectingHandler(), 128)) {
            InetSocketAddress bound = listener.localAddress();
            assertThat(bound.getAddress()).isEqualTo(InetAddress.getLoopbackAddress());
            assertThat(bound.getPort()).isPositive();

            ListenSpec same = new ListenSpec(bound, Fixture.CERT.keyStore(), Fixture.CERT.alias(),
                    Fixture.CERT.password(), Fixture.settings(128));
            assertThatThrownBy(() -> fx.server.listen(same, c -> s -> { }))
                    .isInstanceOf(BindException.class).hasMessageContaining(String.valueOf(bound.getPort()));
        }
    }

    @Test
    void dialReachesTheListenerAndBothSidesReportAddressesAndTls() throws Exception {
        AtomicReference<TransportConnection> serverSide = new AtomicReference<>();
        try (InMemoryListener listener = fx.server.listen(Fixture.listenSpec(Fixture.settings(128)), c -> {
            serverSide.set(c);
            return s -> { };
        })) {
            TransportConnection client = fx.dial(listener);

            // the handler ran before connect returned
            TransportConnection server = serverSide.get();
            assertThat(server).isNotNull();
            assertThat(listener.connections()).containsExactly(server);
            assertThat(client.isOpen()).isTrue();
            assertThat(server.isOpen()).isTrue();
            assertThat(client.remoteAddress()).isEqualTo(listener.localAddress());
            assertThat(server.localAddress()).isEqualTo(listener.localAddress());
            assertThat(client.localAddress().getAddress()).isEqualTo(InetAddress.getLoopbackAddress());
            assertThat(server.remoteAddress()).isEqualTo(client.localAddress());

            TlsInfo tls = client.tlsInfo();
            assertThat(tls.protocol()).isEqualTo("TLSv1.3");
            assertThat(tls.cipherSuite()).isEqualTo("TLS_AES_128_GCM_SHA256");
            assertThat(tls.applicationProtocol()).isEqualTo(QuicSettings.ALPN);
            assertThat(tls.peerCertificates()).containsExactly(Fixture.CERT.certificate());
            assertThat(server.tlsInfo().peerCertificates()).isEmpty();
            assertThat(fx.client.liveConnections()).isEqualTo(1);
            assertThat(fx.server.serverConnections()).containsExactly(server);
        }
    }

    @Test
    void clientAddressCanPretendToComeFromElsewhere() throws Exception {
        InetAddress elsewhere = InetAddress.getByAddress(new byte[] {10, 9, 9, 9});
        fx.client.clientAddress(elsewhere);
        try (InMemoryListener listener = fx.listen(fx.collectingHandler(), 128)) {
            TransportConnection client = fx.dial(listener);

            assertThat(client.localAddress().getAddress()).isEqualTo(elsewhere);
            assertThat(listener.connections()).singleElement()
                    .satisfies(s -> assertThat(s.remoteAddress().getAddress()).isEqualTo(elsewhere));
        }
    }

    @Test
    void dialWithNoListenerIsRefusedAndSoIsADialAfterClose() throws Exception {
        InMemoryListener listener = fx.listen(fx.collectingHandler(), 128);
        InetSocketAddress address = listener.localAddress();
        listener.close();

        assertThatThrownBy(() -> fx.client.connect(Fixture.dialSpec(address, Fixture.settings(128))))
                .isInstanceOf(ConnectException.class)
                .hasMessageContaining("connection refused").hasMessageContaining("no in-memory listener at");
    }

    @Test
    void closingTheListenerKeepsItsConnections() throws Exception {
        InMemoryListener listener = fx.listen(fx.echoHandler(), 128);
        TransportConnection client = fx.dial(listener);
        listener.close();

        assertThat(client.isOpen()).isTrue();
        var stream = client.openStream(java.time.Duration.ofSeconds(1));
        stream.outputStream().write(7);
        stream.shutdownOutput();
        assertThat(stream.inputStream().readAllBytes()).containsExactly(7);
        stream.close();
    }

    @Test
    void trustManagerRefusalFailsTheDialWithItsReason() throws Exception {
        X509TrustManager refusing = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                throw new CertificateException("not a server");
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                assertThat(authType).isEqualTo("EC");
                throw new CertificateException("fingerprint 00ff does not match the pinned one");
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try (InMemoryListener listener = fx.listen(fx.collectingHandler(), 128)) {
            DialSpec spec = new DialSpec(listener.localAddress(), "localhost", refusing, Fixture.settings(128),
                    Fixture.CONNECT_TIMEOUT);

            assertThatThrownBy(() -> fx.client.connect(spec))
                    .isInstanceOf(SSLHandshakeException.class)
                    .hasMessageContaining("fingerprint 00ff does not match the pinned one")
                    .hasCauseInstanceOf(CertificateException.class);
            assertThat(listener.connections()).isEmpty();
            assertThat(fx.network.liveConnections()).isZero();
        }
    }

    @Test
    void jdkTrustManagerRefusesAnUnknownCertificate() throws Exception {
        TestCertificate other = TestCertificates.create("other", "other");
        try (InMemoryListener listener = fx.listen(fx.collectingHandler(), 128)) {
            DialSpec spec = new DialSpec(listener.localAddress(), "localhost", other.trustManager(),
                    Fixture.settings(128), Fixture.CONNECT_TIMEOUT);

            assertThatThrownBy(() -> fx.client.connect(spec))
                    .isInstanceOf(SSLHandshakeException.class)
                    .hasMessageContaining("refused by the trust manager");
        }
    }

    @Test
    void differentAlpnIsRefused() throws Exception {
        try (InMemoryListener listener = fx.listen(fx.collectingHandler(), 128)) {
            QuicSettings h3 = new QuicSettings("h3", java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(3),
                    128, 1 << 20, 16 << 20);

            assertThatThrownBy(() -> fx.client.connect(Fixture.dialSpec(listener.localAddress(), h3)))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("no application protocol").hasMessageContaining("\"h3\"");
        }
    }

    @Test
    void handlerReturningNullLeavesTheClientAClosedConnection() throws Exception {
        CountDownLatch closed = new CountDownLatch(1);
        try (InMemoryListener listener = fx.server.listen(Fixture.listenSpec(Fixture.settings(128)), c -> {
            c.close(0, "unauthorized IP");
            return null;
        })) {
            TransportConnection client = fx.dial(listener);
            client.onClose(closed::countDown);

            assertThat(client.isOpen()).isFalse();
            assertThat(closed.await(5, TimeUnit.SECONDS)).isTrue();
            assertThatThrownBy(() -> client.openStream(java.time.Duration.ofSeconds(1)))
                    .isInstanceOf(IOException.class).hasMessageContaining("unauthorized IP");
            assertThat(listener.connections()).isEmpty();
        }
    }

    @Test
    void keyStoreWithoutTheAliasIsRefusedAtListen() {
        ListenSpec wrong = new ListenSpec(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                Fixture.CERT.keyStore(), "nope", Fixture.CERT.password(), Fixture.settings(128));

        assertThatThrownBy(() -> fx.server.listen(wrong, c -> s -> { }))
                .isInstanceOf(IOException.class).hasMessageContaining("\"nope\"");
    }
}
