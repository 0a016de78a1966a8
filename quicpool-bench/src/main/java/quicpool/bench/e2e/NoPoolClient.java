// SPDX-License-Identifier: Apache-2.0
package quicpool.bench.e2e;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.cert.X509Certificate;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import quicpool.api.spi.QuicTransport;
import quicpool.api.spi.TransportConnection;
import quicpool.api.spi.TransportStream;

/**
 * The private end of the tunnel without a pool ({@link NoPoolServer} says what it is): it
 * connects the server's control port, and for every token read there, on a thread of its own,
 * dials a new QUIC connection through the transport's SPI (pinned to the server's certificate),
 * opens a stream, writes the token on it, connects the target over TCP and relays ({@link
 * StreamRelay}); the server closes that QUIC connection when its side of the relay has ended.
 * Nothing is dialed or opened before a user's token arrives.
 */
final class NoPoolClient implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("quicpool.bench.e2e");

    private final QuicTransport transport;
    private final InetSocketAddress quic;
    private final X509Certificate pinned;
    private final InetSocketAddress target;
    private final Socket control = new Socket();
    private final ExecutorService threads = Loopback.threads("no-pool-client");
    private final Set<TransportConnection> connections = ConcurrentHashMap.newKeySet();
    private final Set<Socket> targets = ConcurrentHashMap.newKeySet();

    /**
     * Connects the control port and starts serving tokens.
     *
     * @throws IOException if the control port cannot be connected
     */
    NoPoolClient(String transport, InetSocketAddress quic, InetSocketAddress controlAddress, X509Certificate pinned,
                 InetSocketAddress target) throws IOException {
        this.transport = Transports.fresh(transport);
        this.quic = quic;
        this.pinned = pinned;
        this.target = target;
        control.connect(controlAddress, (int) Loopback.TIMEOUT.toMillis());
        control.setTcpNoDelay(true);
        DataInputStream tokens = new DataInputStream(control.getInputStream());
        threads.execute(() -> readTokens(tokens));
    }

    private void readTokens(DataInputStream tokens) {
        try {
            while (true) {
                int token = tokens.readInt();
                threads.execute(() -> serve(token));
            }
        } catch (EOFException e) {
            LOG.log(System.Logger.Level.DEBUG, "no-pool control connection ended");
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "no-pool control connection failed: " + e);
        }
    }

    private void serve(int token) {
        TransportConnection connection = null;
        Socket socket = new Socket();
        targets.add(socket);
        try {
            connection = transport.connect(Loopback.dialSpec(quic, pinned));
            connections.add(connection);
            TransportConnection c = connection;
            connection.onClose(() -> connections.remove(c));
            TransportStream stream = connection.openStream(Loopback.TIMEOUT);
            NoPoolServer.writeToken(stream.outputStream(), token);
            socket.connect(target, (int) Loopback.TIMEOUT.toMillis());
            socket.setTcpNoDelay(true);
            StreamRelay.run(socket, Duplex.of(stream), threads, () -> targets.remove(socket), false);
        } catch (IOException | RuntimeException | InterruptedException e) {
            LOG.log(System.Logger.Level.WARNING, "no-pool tunnel: user " + token + " not relayed: " + e);
            if (connection != null) {
                connection.close(0, "relay failed");
            }
            NoPoolServer.closeQuietly(socket);
            targets.remove(socket);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Closes the control connection, every target connection and QUIC connection still open. Idempotent. */
    @Override
    public void close() {
        NoPoolServer.closeQuietly(control);
        targets.forEach(NoPoolServer::closeQuietly);
        connections.forEach(c -> c.close(0, "benchmark over"));
        Loopback.shutdown(threads);
    }
}
