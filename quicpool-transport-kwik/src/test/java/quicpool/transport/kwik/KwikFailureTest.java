// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import quicpool.api.spi.DialSpec;
import quicpool.api.spi.ListenSpec;
import quicpool.api.spi.QuicSettings;
import quicpool.api.spi.TransportListener;

@Timeout(60)
class KwikFailureTest {

    private final Loopback loopback = new Loopback();

    @AfterEach
    void tearDown() throws InterruptedException {
        loopback.close();
    }

    @Test
    void refusedCertificateFailsConnectWithTheTrustManagersReason() throws Exception {
        TransportListener listener = loopback.listenEcho();
        loopback.connect(listener).close(0, "warm-up"); // keep the first handshake's class loading out of the count
        Threads threads = Threads.snapshot();

        long start = System.nanoTime();
        assertThatThrownBy(() -> loopback.connect(listener, Loopback.refusing("fingerprint does not match the pin")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("fingerprint does not match the pin")
                .hasMessageContaining("refused");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Loopback.CONNECT_TIMEOUT);

        assertThat(threads.awaitStartedEnded(Duration.ofSeconds(10)))
                .as("threads left by the refused dial").isEmpty();
    }

    @Test
    void dialingAPortNobodyListensOnFailsFastAndLeavesNoThread() throws Exception {
        InetSocketAddress nobody;
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            nobody = (InetSocketAddress) probe.getLocalSocketAddress();
        }
        Threads threads = Threads.snapshot();

        long start = System.nanoTime();
        assertThatThrownBy(() -> loopback.transport.connect(
                new DialSpec(nobody, "localhost", loopback.trusting(), loopback.settings, Loopback.CONNECT_TIMEOUT)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(String.valueOf(nobody.getPort()));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Loopback.CONNECT_TIMEOUT);

        assertThat(threads.awaitStartedEnded(Duration.ofSeconds(10)))
                .as("threads left by the failed dial").isEmpty();
    }

    @Test
    void aServerThatNeverAnswersTimesOutSayingNothingCameBackAndLeavesNoThread() throws Exception {
        Duration timeout = Duration.ofMillis(600);
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            InetSocketAddress address = (InetSocketAddress) silent.getLocalSocketAddress();
            Threads threads = Threads.snapshot();

            long start = System.nanoTime();
            assertThatThrownBy(() -> loopback.transport.connect(
                    new DialSpec(address, "localhost", loopback.trusting(), loopback.settings, timeout)))
                    .isInstanceOf(SocketTimeoutException.class)
                    .hasMessageContaining("did not complete within the connect timeout (600 ms")
                    .hasMessageContaining(String.valueOf(address.getPort()))
                    .hasMessageMatching(".*; [1-9][0-9]* datagrams? sent, 0 received\\)$");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(timeout)
                    .isLessThan(timeout.plusSeconds(2));

            assertThat(threads.awaitStartedEnded(Duration.ofSeconds(10)))
                    .as("threads left by the unanswered dial").isEmpty();
        }
    }

    @Test
    void rejectsSettingsKwikCannotUseNamingTheValue() {
        QuicSettings tinyWindow = new QuicSettings(QuicSettings.ALPN, Duration.ofSeconds(1), Duration.ofSeconds(3),
                128, 100, 16 << 20);
        assertThatThrownBy(() -> loopback.transport.connect(new DialSpec(new InetSocketAddress("127.0.0.1", 9),
                "localhost", loopback.trusting(), tinyWindow, Duration.ofSeconds(1))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("streamWindow")
                .hasMessageContaining("100");

        QuicSettings blankAlpn = new QuicSettings(" ", Duration.ofSeconds(1), Duration.ofSeconds(3),
                128, 1 << 20, 16 << 20);
        assertThatThrownBy(() -> loopback.transport.listen(new ListenSpec(new InetSocketAddress("127.0.0.1", 0),
                loopback.keyStore(), loopback.certificate.alias(), loopback.certificate.password(), blankAlpn),
                c -> s -> { }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("applicationProtocol");
    }

    @Test
    void rejectsAMissingKeyEntryNamingTheAlias() {
        assertThatThrownBy(() -> loopback.transport.listen(new ListenSpec(new InetSocketAddress("127.0.0.1", 0),
                loopback.keyStore(), "no-such-alias", loopback.certificate.password(), loopback.settings),
                c -> s -> { }))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("no-such-alias");
    }

    @Test
    void rejectsABusyAddressNamingIt() throws Exception {
        TransportListener first = loopback.listenEcho();
        assertThatThrownBy(() -> loopback.transport.listen(new ListenSpec(first.localAddress(), loopback.keyStore(),
                loopback.certificate.alias(), loopback.certificate.password(), loopback.settings), c -> s -> { }))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(String.valueOf(first.localAddress().getPort()));
    }
}
