// SPDX-License-Identifier: Apache-2.0
package quicpool.examples.tunnel;

import java.io.Closeable;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLContext;
import quicpool.api.ClientPool;
import quicpool.api.PoolClosedException;
import quicpool.api.PoolTimeoutException;
import quicpool.api.StreamConn;

/**
 * The private end of a reverse tunnel, next to the service it exposes (the target). It holds a
 * {@link ClientPool} that keeps QUIC streams open to the tunnel server, and a control channel
 * (see {@link Control}) on which it proves the shared {@link Secret} and the server names the
 * stream of each new user connection. Its pool starts once the server has admitted it: before,
 * the server pool drops its packets.
 *
 * <p>For every ID it takes that stream ({@code outgoingGet}), dials the target and relays bytes
 * between them. If the control channel fails it dials it again every second until closed.
 */
public final class TunnelClient implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("quicpool.examples.tunnel");
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final ClientPool pool;
    private final InetSocketAddress controlAddress;
    private final Security security;
    private final InetSocketAddress target;
    private final Duration timeout;
    private final ExecutorService executor = Lifecycle.threads("tunnel-client");
    private final ControlSlot control = new ControlSlot();
    /** What a thread may be blocked on: closing it is how {@link #close()} ends that thread. */
    private final Set<Closeable> open = ConcurrentHashMap.newKeySet();
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile boolean closed;

    /**
     * How the client secures its control channel.
     *
     * @param tls          judges the server's certificate, as the client's pool does
     * @param serverName   the name for SNI and, with {@code verifyHostname}, the certificate check;
     *                     null: the control address's host
     * @param verifyHostname whether the certificate must name {@code serverName} (the JDK's HTTPS rule)
     * @param secret       what the client proves
     */
    public record Security(SSLContext tls, String serverName, boolean verifyHostname, Secret secret) {
        public Security {
            Objects.requireNonNull(tls, "tls");
            Objects.requireNonNull(secret, "secret");
        }
    }

    private TunnelClient(ClientPool pool, Security security, InetSocketAddress controlAddress,
                         InetSocketAddress target, Duration timeout) {
        this.pool = pool;
        this.security = security;
        this.controlAddress = controlAddress;
        this.target = target;
        this.timeout = timeout;
    }

    /**
     * Starts the control channel and returns at once; the pool starts once the server has
     * admitted this client. {@link #awaitConnected} tells when the tunnel is up. The tunnel client
     * owns the pool from now on.
     *
     * @param pool           a client pool dialing the tunnel server, not yet started
     * @param security       the control channel's TLS and the secret
     * @param controlAddress the tunnel server's control port (TCP)
     * @param target         the service that users of the public port reach (TCP)
     * @param timeout        bound on each dial and on waiting for a stream
     */
    public static TunnelClient start(ClientPool pool, Security security, InetSocketAddress controlAddress,
                                     InetSocketAddress target, Duration timeout) {
        TunnelClient client = new TunnelClient(Objects.requireNonNull(pool, "pool"),
                Objects.requireNonNull(security, "security"), Objects.requireNonNull(controlAddress, "controlAddress"),
                Objects.requireNonNull(target, "target"), Objects.requireNonNull(timeout, "timeout"));
        client.executor.execute(client::keepControl);
        return client;
    }

    /** The client pool. */
    public ClientPool pool() {
        return pool;
    }

    /** Waits up to {@code bound} until the tunnel server has accepted the control channel. */
    public boolean awaitConnected(Duration bound) throws InterruptedException {
        return control.await(bound);
    }

    /** Runs control sessions one after another until closed. */
    private void keepControl() {
        try {
            while (!closed) {
                try {
                    session();
                } catch (IOException | PoolTimeoutException e) {
                    if (!closed) {
                        LOG.log(Level.WARNING, "control channel to {0}: {1}; again in {2} s", controlAddress,
                                why(e), RETRY.toSeconds());
                    }
                }
                if (closing.await(RETRY.toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
        } catch (PoolClosedException | InterruptedException | RejectedExecutionException e) {
            LOG.log(Level.DEBUG, "control channel stops: {0}", e.toString());
        }
    }

    /** The failure, and when the pool had no stream to offer, why it could not dial. */
    private String why(Exception e) {
        if (e instanceof PoolTimeoutException) {
            return e.getMessage() + pool.lastConnectFailure().map(f -> " (the pool's last dial: " + f + ")").orElse("");
        }
        return e.getMessage();
    }

    /** One control connection: the secret, HELLO with a stream of our pool, then an ID per user connection. */
    private void session() throws IOException, PoolTimeoutException, InterruptedException {
        Socket plain = new Socket();
        own(plain);
        Socket socket = plain;
        try {
            plain.connect(controlAddress, timeoutMillis());
            plain.setTcpNoDelay(true); // short lines, each answered: none should wait for an ACK
            socket = tls(plain);
            own(socket);
            socket.setSoTimeout(timeoutMillis());
            Control channel = new Control(socket);
            authenticate(channel);
            pool.start(); // the server pool admits our address from now on
            try (StreamConn proof = pool.incomingGet(timeout)) { // waits until the pool holds a stream
                channel.send(Control.HELLO + proof.id());
                expect(channel, Control.OK, "HELLO");
            }
            socket.setSoTimeout(0);
            socket.setKeepAlive(true);
            control.set(channel);
            LOG.log(Level.INFO, "tunnel up: {0} via control {1}", target, controlAddress);
            try {
                String line;
                while ((line = channel.readLine()) != null) {
                    if (Control.isId(line)) {
                        String id = line;
                        executor.execute(() -> connect(id));
                    } else {
                        LOG.log(Level.WARNING, "ignoring control line \"{0}\"", line);
                    }
                }
                throw new IOException("the tunnel server closed the control channel");
            } finally {
                control.drop(channel);
            }
        } finally {
            open.remove(plain);
            open.remove(socket);
            Lifecycle.closeQuietly(socket);
            Lifecycle.closeQuietly(plain);
        }
    }

    private SSLSocket tls(Socket plain) throws IOException {
        String name = security.serverName() != null ? security.serverName() : controlAddress.getHostString();
        SSLSocket socket = (SSLSocket) security.tls().getSocketFactory().createSocket(plain, name, plain.getPort(), true);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setProtocols(new String[] {ControlTls.PROTOCOL});
        if (security.verifyHostname()) {
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
        }
        socket.setSSLParameters(parameters);
        return socket;
    }

    /** Answers the server's challenge; returns once the server has admitted this client. */
    private void authenticate(Control channel) throws IOException {
        String nonce = Control.after(Control.CHALLENGE, channel.readLine());
        if (nonce == null) {
            throw new IOException("the tunnel server sent no challenge");
        }
        channel.send(Control.AUTH + security.secret().answer(nonce));
        expect(channel, Control.ADMITTED, "the secret");
    }

    private static void expect(Control channel, String expected, String what) throws IOException {
        String answer = channel.readLine();
        if (answer == null) {
            throw new IOException("the tunnel server closed the control channel before answering " + what);
        }
        if (!expected.equals(answer)) {
            throw new IOException("the tunnel server refused " + what + ": " + answer);
        }
    }

    /**
     * One user connection: take the named stream, dial the target, relay (this thread copies the
     * stream's bytes to the target until the stream's FIN).
     */
    private void connect(String id) {
        StreamConn stream;
        try {
            stream = pool.outgoingGet(id, timeout);
        } catch (PoolTimeoutException e) {
            LOG.log(Level.WARNING, "stream {0} did not arrive within {1}", id, timeout);
            return;
        } catch (PoolClosedException | InterruptedException e) {
            return; // closing
        }
        Socket socket = new Socket();
        own(socket);
        try {
            socket.connect(target, timeoutMillis());
            socket.setTcpNoDelay(true);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot reach the target {0}: {1}", target, e.toString());
            stream.close(); // the tunnel server sees the stream end and closes the user's connection
            Lifecycle.closeQuietly(socket);
            return;
        } finally {
            open.remove(socket);
        }
        Relay relay = new Relay(socket, stream);
        own(relay);
        relay.done().thenRun(() -> open.remove(relay));
        relay.run(executor, Relay.Here.STREAM_TO_SOCKET);
    }

    private int timeoutMillis() {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
    }

    private void own(Closeable resource) {
        open.add(resource);
        if (closed) {
            Lifecycle.closeQuietly(resource);
        }
    }

    /** Closes the control channel, every relayed connection and the pool. Idempotent. */
    @Override
    public void close() {
        closed = true;
        closing.countDown();
        control.close();
        open.forEach(Lifecycle::closeQuietly);
        pool.close();
        Lifecycle.shutdown(executor);
    }
}
