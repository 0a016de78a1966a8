// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import quicpool.api.spi.Admission;
import quicpool.api.spi.ConnectionHandler;
import quicpool.api.spi.DialSpec;
import quicpool.api.spi.ListenSpec;
import quicpool.api.spi.StreamHandler;
import quicpool.api.spi.TransportConnection;
import quicpool.api.spi.TransportListener;
import quicpool.compliance.RequiresTransport;
import quicpool.testkit.PoolQuicSettings;

/** A server handshake that does not finish within the listener's bound is ended and reported. */
@RequiresTransport("netty")
@ExtendWith(LeakCheck.class)
@Timeout(30)
class ServerHandshakeBoundTest {

    private static final Duration BOUND = Duration.ofSeconds(1);

    @Test
    void aHandshakeNotDoneWithinTheBoundIsClosedAndReportedAsFailed() throws Exception {
        NettyTransport server = new NettyTransport();
        NettyTransport client = new NettyTransport(); // its own event loop: the stalled client must not stall the server
        BlockingQueue<String> failures = new LinkedBlockingQueue<>();
        List<TransportConnection> accepted = new CopyOnWriteArrayList<>();
        TransportListener listener = server.listen(new ListenSpec(new InetSocketAddress("127.0.0.1", 0),
                Loopback.CERT.keyStore(), Loopback.CERT.alias(), Loopback.CERT.password(),
                PoolQuicSettings.forKeepAlive(Duration.ofSeconds(10)), Admission.ALL, BOUND), new ConnectionHandler() {
                    @Override
                    public StreamHandler onConnection(TransportConnection connection) {
                        accepted.add(connection);
                        return null;
                    }

                    @Override
                    public void onHandshakeFailed(InetSocketAddress remote, String reason) {
                        failures.add(reason);
                    }
                });
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService dialer = Executors.newSingleThreadExecutor();
        // The client holds its Finished back while it "checks" the server's certificate.
        Future<TransportConnection> dial = dialer.submit(() -> client.connect(new DialSpec(listener.localAddress(),
                "localhost", new StallingTrustManager(release), PoolQuicSettings.forKeepAlive(Duration.ofSeconds(10)),
                Duration.ofSeconds(10))));
        long start = System.nanoTime();
        try {
            String reason = failures.poll(BOUND.plusSeconds(4).toMillis(), TimeUnit.MILLISECONDS);
            long reported = System.nanoTime() - start;
            assertThat(reason).as("the stalled handshake reported as failed").isNotNull()
                    .contains("handshake not completed within " + BOUND);
            assertThat(Duration.ofNanos(reported)).isGreaterThanOrEqualTo(BOUND.minusMillis(100));
            assertThat(accepted).as("connections handed to the handler").isEmpty();
        } finally {
            release.countDown();
            try {
                dial.get(15, TimeUnit.SECONDS).close(0, "test over"); // the client may think it done, briefly
            } catch (ExecutionException e) {
                // the usual end: the server closed it
            }
            listener.close();
            dialer.shutdownNow();
        }
    }

    /** Waits (bounded) for the test's release before it trusts the chain. */
    private record StallingTrustManager(CountDownLatch release) implements X509TrustManager {
        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CertificateException("interrupted");
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("no client certificates here");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
