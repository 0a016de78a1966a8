// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import quicpool.api.TlsInfo;
import quicpool.api.spi.QuicSettings;
import quicpool.api.spi.QuicTransport;
import quicpool.api.spi.TransportConnection;
import quicpool.api.spi.TransportListener;
import quicpool.api.spi.TransportStream;

@Timeout(60)
class KwikConnectionTest {

    private final Loopback loopback = new Loopback();

    @AfterEach
    void tearDown() throws InterruptedException {
        loopback.close();
    }

    @Test
    void isProvidedAsTheKwikTransport() {
        ModuleDescriptor module = KwikTransport.class.getModule().getDescriptor();
        assertThat(module).as("run as a named module").isNotNull();
        assertThat(module.provides()).anySatisfy(p -> {
            assertThat(p.service()).isEqualTo(QuicTransport.class.getName());
            assertThat(p.providers()).containsExactly(KwikTransport.class.getName());
        });
        KwikTransport transport = new KwikTransport();
        assertThat(transport.name()).isEqualTo("kwik");
        assertThat(transport.priority()).isEqualTo(10);
        assertThat(transport.autoSelectable()).isTrue();
        assertThat(transport.unavailableReason()).isEmpty();
    }

    @Test
    void reportsTlsFactsAndAddressesOfEachEnd() throws Exception {
        CompletableFuture<TransportConnection> accepted = new CompletableFuture<>();
        TransportListener listener = loopback.listen(connection -> {
            accepted.complete(connection);
            return Loopback::echo;
        });
        assertThat(listener.localAddress().getPort()).isPositive();

        TransportConnection client = loopback.connect(listener);
        TransportConnection server = accepted.get(5, TimeUnit.SECONDS);

        TlsInfo clientTls = client.tlsInfo();
        assertThat(clientTls.protocol()).isEqualTo("TLSv1.3");
        assertThat(clientTls.cipherSuite()).isEqualTo("TLS_AES_128_GCM_SHA256");
        assertThat(clientTls.applicationProtocol()).isEqualTo(QuicSettings.ALPN);
        assertThat(clientTls.peerCertificates()).containsExactly(loopback.certificate.certificate());

        TlsInfo serverTls = server.tlsInfo();
        assertThat(serverTls.protocol()).isEqualTo("TLSv1.3");
        assertThat(serverTls.applicationProtocol()).isEqualTo(QuicSettings.ALPN);
        assertThat(serverTls.peerCertificates()).isEmpty();

        assertThat(client.remoteAddress()).isEqualTo(listener.localAddress());
        assertThat(client.localAddress().getAddress().isLoopbackAddress()).isTrue();
        assertThat(server.localAddress()).isEqualTo(listener.localAddress());
        assertThat(server.remoteAddress()).isEqualTo(client.localAddress());
    }

    @Test
    void handsEachConnectionToTheHandlerBeforeItsStreams() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        CountDownLatch streamSeen = new CountDownLatch(1);
        TransportListener listener = loopback.listen(connection -> {
            events.add("connection");
            return stream -> {
                events.add("stream " + stream.streamId());
                stream.close();
                streamSeen.countDown();
            };
        });
        TransportConnection client = loopback.connect(listener);
        TransportStream stream = client.openStream(Duration.ofSeconds(5));
        stream.outputStream().write(0);

        assertThat(streamSeen.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(events).containsExactly("connection", "stream " + stream.streamId());
    }

    @Test
    void onCloseRunsOnceWhenThePeerCloses() throws Exception {
        CompletableFuture<TransportConnection> accepted = new CompletableFuture<>();
        TransportListener listener = loopback.listen(connection -> {
            accepted.complete(connection);
            return Loopback::echo;
        });
        TransportConnection client = loopback.connect(listener);
        TransportConnection server = accepted.get(5, TimeUnit.SECONDS);
        AtomicInteger clientCloses = new AtomicInteger();
        CountDownLatch clientClosed = new CountDownLatch(1);
        client.onClose(() -> {
            clientCloses.incrementAndGet();
            clientClosed.countDown();
        });
        CountDownLatch serverClosed = new CountDownLatch(1);
        server.onClose(serverClosed::countDown);
        assertThat(client.isOpen()).isTrue();

        server.close(0, "pool closed");

        assertThat(serverClosed.await(1, TimeUnit.SECONDS)).as("local close fires at once").isTrue();
        assertThat(clientClosed.await(5, TimeUnit.SECONDS)).as("peer close fires").isTrue();
        assertThat(client.isOpen()).isFalse();
        client.close(0, "too late");
        CountDownLatch late = new CountDownLatch(1);
        client.onClose(late::countDown);
        assertThat(late.getCount()).as("a callback registered after the end runs at once").isZero();
        assertThat(clientCloses).hasValue(1);
    }

    @Test
    void onCloseFiresOnTheServerWhenTheClientCloses() throws Exception {
        CompletableFuture<TransportConnection> accepted = new CompletableFuture<>();
        TransportListener listener = loopback.listen(connection -> {
            accepted.complete(connection);
            return Loopback::echo;
        });
        TransportConnection client = loopback.connect(listener);
        TransportConnection server = accepted.get(5, TimeUnit.SECONDS);
        CountDownLatch serverClosed = new CountDownLatch(1);
        server.onClose(serverClosed::countDown);

        client.close(0, "bye");

        assertThat(serverClosed.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(server.isOpen()).isFalse();
    }

    @Test
    void keepAliveHoldsAnIdleConnectionOpenBeyondTheIdleTimeout() throws Exception {
        TransportListener listener = loopback.listenEcho();
        TransportConnection client = loopback.connect(listener);
        CountDownLatch closed = new CountDownLatch(1);
        client.onClose(closed::countDown);

        Duration idle = loopback.settings.idleTimeout();
        assertThat(closed.await(idle.toMillis() * 3 / 2, TimeUnit.MILLISECONDS))
                .as("closed while idle for 1.5 x the idle timeout of %s", idle).isFalse();

        TransportStream stream = client.openStream(Duration.ofSeconds(5));
        stream.outputStream().write(9);
        assertThat(stream.inputStream().read()).isEqualTo(9);
        stream.close();
    }

    @Test
    void closingTheConnectionFailsABlockedRead() throws Exception {
        TransportListener listener = loopback.listenEcho();
        TransportConnection client = loopback.connect(listener);
        TransportStream stream = client.openStream(Duration.ofSeconds(5));
        stream.outputStream().write(1);
        assertThat(stream.inputStream().read()).isEqualTo(1);
        CompletableFuture<Object> blocked = CompletableFuture.supplyAsync(() -> {
            try {
                return stream.inputStream().read();
            } catch (IOException e) {
                return e;
            }
        });

        client.close(0, "bye");

        assertThat(blocked.get(5, TimeUnit.SECONDS)).isInstanceOf(IOException.class);
        assertThat(client.isOpen()).isFalse();
    }

    @Test
    void closingTheListenerEndsItsConnectionsAndFreesThePort() throws Exception {
        Threads threads = Threads.snapshot();
        TransportListener listener = loopback.listenEcho();
        TransportConnection client = loopback.connect(listener);
        CountDownLatch clientClosed = new CountDownLatch(1);
        client.onClose(clientClosed::countDown);
        InetSocketAddress address = listener.localAddress();

        listener.close();
        listener.close();

        assertThat(clientClosed.await(5, TimeUnit.SECONDS)).isTrue();
        // The JDK releases a UDP port when the thread blocked in receive() has left: wait for Kwik's threads.
        loopback.close();
        assertThat(threads.awaitStartedEnded(Duration.ofSeconds(10))).isEmpty();
        try (DatagramSocket again = new DatagramSocket(address)) {
            assertThat(again.getLocalPort()).isEqualTo(address.getPort());
        }
    }
}
