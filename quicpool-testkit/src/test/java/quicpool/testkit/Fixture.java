// SPDX-License-Identifier: Apache-2.0
package quicpool.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import quicpool.api.spi.ConnectionHandler;
import quicpool.api.spi.DialSpec;
import quicpool.api.spi.ListenSpec;
import quicpool.api.spi.QuicSettings;
import quicpool.api.spi.TransportConnection;
import quicpool.api.spi.TransportStream;

/** A private network with a server and a client transport, and helpers to wire them. */
final class Fixture {
    static final TestCertificate CERT = TestCertificates.localhost();

    final InMemoryNetwork network = new InMemoryNetwork();
    final InMemoryTransport server = new InMemoryTransport(network);
    final InMemoryTransport client = new InMemoryTransport(network);
    /** Server ends of streams delivered to {@link #collectingHandler()}. */
    final BlockingQueue<TransportStream> accepted = new LinkedBlockingQueue<>();
    final ExecutorService workers = Executors.newCachedThreadPool();

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    static QuicSettings settings(int maxBidiStreams) {
        return new QuicSettings(QuicSettings.ALPN, Duration.ofSeconds(10), Duration.ofSeconds(30), maxBidiStreams,
                1 << 20, 16 << 20);
    }

    static ListenSpec listenSpec(QuicSettings settings) {
        return new ListenSpec(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), CERT.keyStore(),
                CERT.alias(), CERT.password(), settings);
    }

    static DialSpec dialSpec(InetSocketAddress remote, QuicSettings settings) {
        return new DialSpec(remote, "localhost", CERT.trustManager(), settings, CONNECT_TIMEOUT);
    }

    /** Puts every stream the client opens into {@link #accepted}. */
    ConnectionHandler collectingHandler() {
        return connection -> accepted::add;
    }

    /** Echoes every stream until the client's FIN, then closes it. */
    ConnectionHandler echoHandler() {
        return connection -> stream -> workers.execute(() -> echo(stream));
    }

    InMemoryListener listen(ConnectionHandler handler, int maxBidiStreams) throws IOException {
        return server.listen(listenSpec(settings(maxBidiStreams)), handler);
    }

    TransportConnection dial(InMemoryListener listener) throws IOException, InterruptedException {
        return client.connect(dialSpec(listener.localAddress(), settings(128)));
    }

    TransportStream nextAccepted() throws InterruptedException {
        TransportStream s = accepted.poll(5, TimeUnit.SECONDS);
        if (s == null) {
            throw new AssertionError("no stream reached the server within 5 s");
        }
        return s;
    }

    private static void echo(TransportStream stream) {
        try {
            InputStream in = stream.inputStream();
            OutputStream out = stream.outputStream();
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
            }
            stream.shutdownOutput();
        } catch (IOException e) {
            // the client went away: nothing left to echo
        } finally {
            stream.close();
        }
    }

    /** Kills every connection of the network and stops the test workers. */
    void close() throws InterruptedException {
        network.killConnections();
        workers.shutdownNow();
        if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
            throw new AssertionError("test workers did not stop");
        }
    }
}
