// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.X509TrustManager;
import quicpool.api.spi.ConnectionHandler;
import quicpool.api.spi.DialSpec;
import quicpool.api.spi.ListenSpec;
import quicpool.api.spi.QuicSettings;
import quicpool.api.spi.TransportConnection;
import quicpool.api.spi.TransportListener;
import quicpool.api.spi.TransportStream;
import quicpool.testkit.PoolQuicSettings;
import quicpool.testkit.TestCertificate;
import quicpool.testkit.TestCertificates;

/** A Kwik server and clients on 127.0.0.1, and everything they need; closes all it made. */
final class Loopback implements AutoCloseable {

    /** Kwik then pings every second (idle timeout 3 s): short tests stay alive, threads end fast. */
    static final Duration KEEP_ALIVE = Duration.ofSeconds(1);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    final KwikTransport transport = new KwikTransport();
    final TestCertificate certificate = TestCertificates.localhost();
    final QuicSettings settings;
    /** Runs the server's stream work: the handler must not block Kwik's thread. */
    final ExecutorService serverWork = Executors.newCachedThreadPool(task -> {
        Thread t = new Thread(task, "test-server-work");
        t.setDaemon(true);
        return t;
    });
    private final List<TransportConnection> connections = new CopyOnWriteArrayList<>();
    private final List<TransportListener> listeners = new CopyOnWriteArrayList<>();

    Loopback() {
        this(KEEP_ALIVE);
    }

    Loopback(Duration keepAlive) {
        settings = PoolQuicSettings.forKeepAlive(keepAlive);
    }

    TransportListener listen(ConnectionHandler handler) throws IOException {
        ListenSpec spec = new ListenSpec(new InetSocketAddress("127.0.0.1", 0), certificate.keyStore(),
                certificate.alias(), certificate.password(), settings);
        TransportListener listener = transport.listen(spec, handler);
        listeners.add(listener);
        return listener;
    }

    /** A server that echoes every stream until the client's FIN, then closes it. */
    TransportListener listenEcho() throws IOException {
        return listen(connection -> stream -> serverWork.execute(() -> echo(stream)));
    }

    static void echo(TransportStream stream) {
        try {
            InputStream in = stream.inputStream();
            OutputStream out = stream.outputStream();
            byte[] buffer = new byte[16 * 1024];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            // The client went away: nothing more to echo.
        } finally {
            stream.close();
        }
    }

    TransportConnection connect(TransportListener listener) throws IOException, InterruptedException {
        return connect(listener, trusting());
    }

    TransportConnection connect(TransportListener listener, X509TrustManager trust)
            throws IOException, InterruptedException {
        return connect(listener.localAddress(), trust);
    }

    /** A client of whatever answers at {@code server} for the listener's certificate (a relay in front of it). */
    TransportConnection connect(InetSocketAddress server, X509TrustManager trust) throws IOException, InterruptedException {
        TransportConnection connection = transport.connect(
                new DialSpec(server, "localhost", trust, settings, CONNECT_TIMEOUT));
        connections.add(connection);
        return connection;
    }

    /** PKIX over the certificate itself: no hostname check, as at the SPI level. */
    X509TrustManager trusting() {
        return certificate.trustManager();
    }

    static X509TrustManager refusing(String reason) {
        return new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                throw new CertificateException(reason);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                throw new CertificateException(reason);
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
    }

    KeyStore keyStore() {
        return certificate.keyStore();
    }

    @Override
    public void close() {
        connections.forEach(c -> c.close(0, "test over"));
        listeners.forEach(TransportListener::close);
        serverWork.shutdownNow();
        try {
            serverWork.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
