// SPDX-License-Identifier: Apache-2.0
package quicpool.bench.e2e;

import java.io.Closeable;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import quicpool.api.spi.StreamHandler;
import quicpool.api.spi.TransportConnection;
import quicpool.api.spi.TransportListener;
import quicpool.api.spi.TransportStream;

/**
 * The public end of the tunnel without a pool, what {@link TunnelLatency} compares the pooled
 * tunnel with. It uses the transport's SPI alone: a QUIC listener (this JVM's certificate),
 * a public TCP port for users and a control TCP port (plain TCP, no TLS or secret: cheaper than
 * the example's, which only favours this variant) that one {@link NoPoolClient} connects.
 *
 * <p>For every user it sends a fresh 4-byte token on the control connection; the client then
 * dials a new QUIC connection (QUIC and TLS 1.3 handshake), opens a stream and writes the token
 * on it; the stream whose first 4 bytes are that token is relayed with the user ({@link
 * StreamRelay}), and this end closes that QUIC connection when the relay has ended. A user who
 * arrives while no client is connected is closed at once.
 */
final class NoPoolServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("quicpool.bench.e2e");

    private final ServerSocket users = new ServerSocket();
    private final ServerSocket controlListener = new ServerSocket();
    private final TransportListener quic;
    private final ExecutorService threads = Loopback.threads("no-pool-server");
    private final AtomicInteger tokens = new AtomicInteger();
    private final Map<Integer, Socket> waiting = new ConcurrentHashMap<>();
    private final Set<Closeable> open = ConcurrentHashMap.newKeySet();
    private final Set<TransportConnection> connections = ConcurrentHashMap.newKeySet();
    private volatile DataOutputStream control;

    NoPoolServer(String transport) throws IOException {
        users.bind(new InetSocketAddress("127.0.0.1", 0));
        controlListener.bind(new InetSocketAddress("127.0.0.1", 0));
        quic = Transports.fresh(transport).listen(Loopback.listenSpec(), this::onConnection);
        threads.execute(this::acceptControl);
        threads.execute(this::acceptUsers);
    }

    InetSocketAddress publicAddress() {
        return (InetSocketAddress) users.getLocalSocketAddress();
    }

    InetSocketAddress controlAddress() {
        return (InetSocketAddress) controlListener.getLocalSocketAddress();
    }

    InetSocketAddress quicAddress() {
        return quic.localAddress();
    }

    private void acceptControl() {
        try {
            Socket socket = controlListener.accept();
            socket.setTcpNoDelay(true);
            open.add(socket);
            control = new DataOutputStream(socket.getOutputStream());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "no-pool control port closed: " + e);
        }
    }

    private void acceptUsers() {
        while (!users.isClosed()) {
            Socket user;
            try {
                user = users.accept();
                user.setTcpNoDelay(true);
            } catch (IOException e) {
                return; // closed
            }
            int token = tokens.incrementAndGet();
            waiting.put(token, user);
            open.add(user);
            try {
                DataOutputStream c = control;
                if (c == null) {
                    throw new IOException("no no-pool client is connected");
                }
                synchronized (c) {
                    c.writeInt(token);
                    c.flush();
                }
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "no-pool tunnel: closing a user: " + e);
                waiting.remove(token);
                closeQuietly(user);
            }
        }
    }

    private StreamHandler onConnection(TransportConnection connection) {
        connections.add(connection);
        connection.onClose(() -> connections.remove(connection));
        return stream -> threads.execute(() -> serve(connection, stream));
    }

    private void serve(TransportConnection connection, TransportStream stream) {
        Socket user;
        try {
            stream.setReadTimeout(Loopback.TIMEOUT);
            byte[] token = stream.inputStream().readNBytes(4);
            user = token.length == 4 ? waiting.remove(ByteBuffer.wrap(token).getInt()) : null;
            if (user == null) {
                throw new IOException("a stream without a waiting user's token");
            }
            stream.setReadTimeout(Duration.ZERO);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "no-pool tunnel: dropping a QUIC connection: " + e);
            stream.close();
            connection.close(0, "no such user");
            return;
        }
        StreamRelay.run(user, Duplex.of(stream), threads, () -> {
            open.remove(user);
            connection.close(0, "relay over");
        }, true);
    }

    /** Closes {@code c}, logging a failure at DEBUG: used where a failed close changes nothing. */
    static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing: " + e);
        }
    }

    /** Closes the ports, the control connection, every user and QUIC connection. Idempotent. */
    @Override
    public void close() {
        closeQuietly(users);
        closeQuietly(controlListener);
        open.forEach(NoPoolServer::closeQuietly);
        quic.close();
        connections.forEach(c -> c.close(0, "benchmark over"));
        Loopback.shutdown(threads);
    }

    /** Writes {@code token} as a stream's first 4 bytes, which {@link #serve} matches to a waiting user. */
    static void writeToken(OutputStream out, int token) throws IOException {
        out.write(ByteBuffer.allocate(4).putInt(token).array());
        out.flush();
    }
}
