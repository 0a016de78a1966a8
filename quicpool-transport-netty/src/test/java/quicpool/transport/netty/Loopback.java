// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.netty;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.X509TrustManager;
import quicpool.api.spi.ConnectionHandler;
import quicpool.api.spi.DialSpec;
import quicpool.api.spi.ListenSpec;
import quicpool.api.spi.QuicSettings;
import quicpool.api.spi.StreamHandler;
import quicpool.api.spi.TransportConnection;
import quicpool.api.spi.TransportListener;
import quicpool.api.spi.TransportStream;
import quicpool.testkit.PoolQuicSettings;
import quicpool.testkit.TestCertificate;
import quicpool.testkit.TestCertificates;

/**
 * A Netty listener on 127.0.0.1 with an ephemeral port and a way to dial it as "localhost",
 * with the test certificate trusted. Closing it closes every connection, the listener and the
 * worker threads.
 */
final class Loopback implements AutoCloseable {

    static final TestCertificate CERT = TestCertificates.localhost();
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    final NettyTransport transport = new NettyTransport();
    final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "loopback-worker");
        t.setDaemon(true);
        return t;
    });
    final BlockingQueue<TransportConnection> accepted = new LinkedBlockingQueue<>();
    final BlockingQueue<TransportStream> peerStreams = new LinkedBlockingQueue<>();
    private final List<TransportConnection> dialed = new CopyOnWriteArrayList<>();
    private final List<TransportConnection> serverSide = new CopyOnWriteArrayList<>();
    private final TransportListener listener;
    private final QuicSettings settings;

    /** A listener whose peer streams land in {@link #peerStreams}. */
    Loopback() throws IOException {
        this(settings(), null);
    }

    /**
     * A listener with these settings; {@code streams} handles peer streams, or null to queue them
     * in {@link #peerStreams}.
     */
    Loopback(QuicSettings settings, StreamHandler streams) throws IOException {
        this(settings, streams, true);
    }

    /**
     * As above; when {@code acceptStreams} is false the connection handler returns null, so the
     * listener closes every stream the client opens.
     */
    Loopback(QuicSettings settings, StreamHandler streams, boolean acceptStreams) throws IOException {
        this.settings = settings;
        StreamHandler handler = streams != null ? streams : peerStreams::add;
        ConnectionHandler onConnection = connection -> {
            serverSide.add(connection);
            accepted.add(connection);
            return acceptStreams ? handler : null;
        };
        listener = transport.listen(new ListenSpec(new InetSocketAddress("127.0.0.1", 0), CERT.keyStore(),
                CERT.alias(), CERT.password(), settings), onConnection);
    }

    static QuicSettings settings() {
        return PoolQuicSettings.forKeepAlive(Duration.ofSeconds(10));
    }

    /** A handler that echoes every stream on a worker thread, then sends FIN and closes it. */
    static StreamHandler echo(ExecutorService workers) {
        return stream -> workers.execute(() -> {
            try (InputStream in = stream.inputStream(); OutputStream out = stream.outputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // the test that cares sees it on its side
            } finally {
                stream.close();
            }
        });
    }

    TransportListener listener() {
        return listener;
    }

    TransportConnection dial() throws IOException, InterruptedException {
        return dial(CERT.trustManager());
    }

    TransportConnection dial(X509TrustManager trustManager) throws IOException, InterruptedException {
        return dial(trustManager, settings);
    }

    TransportConnection dial(X509TrustManager trustManager, QuicSettings dialSettings)
            throws IOException, InterruptedException {
        TransportConnection c = transport.connect(new DialSpec(listener.localAddress(), "localhost",
                trustManager, dialSettings, CONNECT_TIMEOUT));
        dialed.add(c);
        return c;
    }

    /** The server side of the next accepted connection. */
    TransportConnection nextAccepted() throws InterruptedException {
        TransportConnection c = accepted.poll(5, TimeUnit.SECONDS);
        if (c == null) {
            throw new AssertionError("no connection accepted within 5 s");
        }
        return c;
    }

    /** The next stream the client opened, server side. */
    TransportStream nextPeerStream() throws InterruptedException {
        TransportStream s = peerStreams.poll(5, TimeUnit.SECONDS);
        if (s == null) {
            throw new AssertionError("no stream arrived within 5 s");
        }
        return s;
    }

    @Override
    public void close() {
        List<TransportStream> streams = new ArrayList<>();
        peerStreams.drainTo(streams);
        streams.forEach(TransportStream::close);
        dialed.forEach(c -> c.close(0, "test over"));
        serverSide.forEach(c -> c.close(0, "test over"));
        listener.close();
        workers.shutdownNow();
    }
}
