// SPDX-License-Identifier: Apache-2.0
package quicpool.examples.tunnel;

import java.io.Closeable;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import quicpool.api.IpRange;
import quicpool.api.PoolClosedException;
import quicpool.api.PoolTimeoutException;
import quicpool.api.ServerPool;
import quicpool.api.StreamConn;

/**
 * The public end of a reverse tunnel. It holds a {@link ServerPool} that the tunnel client keeps
 * filled with ready QUIC streams, listens on a public TCP port for users and on a control TLS
 * port for the tunnel client (see {@link Control}).
 *
 * <p>The pool admits nobody until a tunnel client has proved the shared {@link Secret} on the
 * control channel; then it admits QUIC connections from that client's address only, and from
 * nobody again once that client has left. A control connection from outside {@link
 * Security#allowFrom()} is closed before any TLS work.
 *
 * <p>For every user connection it takes any ready stream ({@code incomingGetAsync}), sends the
 * stream's ID to the tunnel client over the control channel and relays bytes between the user
 * and the stream. The user's first bytes go out at once: no handshake, no round trip. When a
 * stream is ready, the ID leaves from the thread that accepted the user, before the relay's
 * threads start; if the control channel's writes block (a client that stops reading it), so does
 * accepting users.
 *
 * <p>One tunnel client at a time: a newer one that proves the secret replaces the older. A user who
 * arrives while no tunnel client is connected is closed at once.
 */
public final class TunnelServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("quicpool.examples.tunnel");

    private final ServerPool pool;
    private final Duration timeout;
    private final ServerSocket publicListener;
    private final ServerSocket controlListener;
    private final ExecutorService executor = Lifecycle.threads("tunnel-server");
    /** What a thread may be blocked on: closing it is how {@link #close()} ends that thread. */
    private final Set<Closeable> open = ConcurrentHashMap.newKeySet();
    private final ControlSlot client = new ControlSlot();
    private final Security security;
    private final ReentrantLock admissionLock = new ReentrantLock();
    private final RefusedControlLog refusals = new RefusedControlLog(line -> LOG.log(Level.WARNING, line),
            RefusedControlLog.INTERVAL, System::nanoTime);
    /** The authenticated channel whose address the pool admits, or null; guarded by admissionLock. */
    private Control admitted;
    private volatile boolean closed;

    /**
     * How the control channel is secured.
     *
     * @param tls       the server's TLS context, holding the same key and certificate as the pool
     * @param secret    what a tunnel client must prove
     * @param allowFrom where control connections may come from; empty: anywhere
     */
    public record Security(SSLContext tls, Secret secret, List<IpRange> allowFrom) {
        public Security {
            Objects.requireNonNull(tls, "tls");
            Objects.requireNonNull(secret, "secret");
            allowFrom = List.copyOf(allowFrom);
        }

        boolean allows(InetAddress client) {
            return allowFrom.isEmpty() || allowFrom.stream().anyMatch(r -> r.contains(client));
        }
    }

    private TunnelServer(ServerPool pool, Security security, Duration timeout, ServerSocket publicListener,
                         ServerSocket controlListener) {
        this.pool = pool;
        this.security = security;
        this.timeout = timeout;
        this.publicListener = publicListener;
        this.controlListener = controlListener;
    }

    /**
     * Starts the pool admitting nobody, binds both TCP ports and begins serving. The tunnel server
     * owns the pool from now on: it sets its allow-list ({@link ServerPool#allowOnly}) and closes
     * it in {@link #close()}.
     *
     * @param pool           a server pool, started here if it is not yet
     * @param security       the control channel's TLS context, secret and allowed sources
     * @param publicAddress  where users connect (port 0: any free port)
     * @param controlAddress where the tunnel client connects its control channel
     * @param timeout        bound on a ready stream for a user, and on each read of a would-be tunnel
     *                       client's control channel (its TLS handshake, AUTH and HELLO lines)
     * @throws IOException if a port cannot be bound (the pool is closed then)
     */
    public static TunnelServer start(ServerPool pool, Security security, InetSocketAddress publicAddress,
                                     InetSocketAddress controlAddress, Duration timeout) throws IOException {
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(security, "security");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(publicAddress, "publicAddress");
        Objects.requireNonNull(controlAddress, "controlAddress");
        ServerSocket publicListener = new ServerSocket();
        SSLServerSocket controlListener = (SSLServerSocket) security.tls().getServerSocketFactory().createServerSocket();
        controlListener.setEnabledProtocols(new String[] {ControlTls.PROTOCOL});
        try {
            pool.allowOnly(List.of()); // nobody until a tunnel client proves the secret
            pool.start();
            bind(publicListener, publicAddress, "public");
            bind(controlListener, controlAddress, "control");
        } catch (IOException | RuntimeException e) {
            Lifecycle.closeQuietly(publicListener);
            Lifecycle.closeQuietly(controlListener);
            pool.close();
            throw e;
        }
        TunnelServer server = new TunnelServer(pool, security, timeout, publicListener, controlListener);
        server.executor.execute(server::acceptControl);
        server.executor.execute(server::acceptUsers);
        return server;
    }

    private static void bind(ServerSocket listener, InetSocketAddress address, String what) throws IOException {
        try {
            listener.bind(address);
        } catch (IOException e) {
            throw new BindException("cannot bind the " + what + " port " + address + ": " + e.getMessage());
        }
    }

    /** Where users connect. */
    public InetSocketAddress publicAddress() {
        return (InetSocketAddress) publicListener.getLocalSocketAddress();
    }

    /** Where the tunnel client connects its control channel. */
    public InetSocketAddress controlAddress() {
        return (InetSocketAddress) controlListener.getLocalSocketAddress();
    }

    /** Where the tunnel client's pool dials (UDP). */
    public InetSocketAddress quicAddress() {
        return pool.localAddress();
    }

    /** The server pool. */
    public ServerPool pool() {
        return pool;
    }

    /** Waits up to {@code bound} for a tunnel client on the control channel; true if one is there. */
    public boolean awaitClient(Duration bound) throws InterruptedException {
        return client.await(bound);
    }

    private void acceptUsers() {
        while (!closed) {
            Socket user;
            try {
                user = publicListener.accept();
                user.setTcpNoDelay(true);
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    LOG.log(Level.ERROR, "public port " + publicAddress() + " stopped accepting", e);
                }
                return;
            }
            arrived(user);
        }
    }

    /**
     * A new user connection, on the accepting thread: take a stream and, when the pool has one
     * ready (the usual case), tell the tunnel client its ID from this thread, before any hand-off,
     * so the client dials the target while the relay's threads start. A user who must wait for a
     * stream waits on an executor thread, not this one.
     */
    private void arrived(Socket user) {
        own(user);
        Control control = client.get();
        if (control == null) {
            LOG.log(Level.WARNING, "no tunnel client connected: closing user connection from {0}",
                    user.getRemoteSocketAddress());
            dropUser(user);
            return;
        }
        CompletableFuture<StreamConn> stream;
        try {
            stream = pool.incomingGetAsync(timeout);
        } catch (RuntimeException e) { // the pool is closing
            dropUser(user);
            return;
        }
        if (stream.isDone()) {
            serve(user, control, stream);
        } else {
            try {
                stream.whenCompleteAsync((s, e) -> serve(user, control, stream), executor);
            } catch (RejectedExecutionException e) { // closing: close() ends the user's socket
                stream.cancel(false);
            }
        }
    }

    /**
     * The user's stream has come (or not): tell the tunnel client its ID, then relay on executor
     * threads (one copies the user's bytes to the stream until the user's EOF).
     */
    private void serve(Socket user, Control control, CompletableFuture<StreamConn> taken) {
        StreamConn stream;
        try {
            stream = taken.join();
        } catch (CancellationException | CompletionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof PoolTimeoutException) {
                LOG.log(Level.WARNING, "no ready stream within {0}: closing user connection from {1}", timeout,
                        user.getRemoteSocketAddress());
            } else if (!(cause instanceof PoolClosedException || cause instanceof CancellationException)) {
                LOG.log(Level.WARNING, "no stream for user connection from " + user.getRemoteSocketAddress(), cause);
            }
            dropUser(user);
            return;
        }
        try {
            control.send(stream.id());
        } catch (IOException e) {
            LOG.log(Level.WARNING, "control channel failed, dropping the tunnel client: {0}", e.toString());
            client.drop(control);
            stream.close();
            dropUser(user);
            return;
        }
        Relay relay = new Relay(user, stream);
        own(relay);
        open.remove(user); // from here on the relay owns the socket
        relay.done().thenRun(() -> open.remove(relay));
        try {
            executor.execute(() -> relay.run(executor, Relay.Here.SOCKET_TO_STREAM));
        } catch (RejectedExecutionException e) { // closing
            relay.close();
        }
    }

    private void dropUser(Socket user) {
        Lifecycle.closeQuietly(user);
        open.remove(user);
    }

    private void acceptControl() {
        while (!closed) {
            try {
                Socket socket = controlListener.accept();
                executor.execute(() -> admit(socket));
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    LOG.log(Level.ERROR, "control port " + controlAddress() + " stopped accepting", e);
                }
                return;
            }
        }
    }

    /**
     * A would-be tunnel client: checks its address and its proof of the secret, opens the pool to
     * its address, checks its HELLO, makes it the current client, waits for its end.
     */
    private void admit(Socket socket) {
        own(socket);
        InetSocketAddress from = (InetSocketAddress) socket.getRemoteSocketAddress();
        if (!security.allows(from.getAddress())) {
            refusals.refused(from, "not in --allow");
            Lifecycle.closeQuietly(socket);
            open.remove(socket);
            return;
        }
        try (Control control = new Control(socket)) {
            socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
            if (!authenticated(control, from)) {
                return;
            }
            try {
                open(control, from);
                control.send(Control.ADMITTED);
                serveClient(control, socket);
            } finally {
                client.drop(control);
                revoke(control);
            }
        } catch (IOException | PoolClosedException | InterruptedException e) {
            LOG.log(Level.DEBUG, "control connection from {0} ended: {1}", from, e.toString());
        } finally {
            open.remove(socket);
        }
    }

    /** Challenge and response; false (after telling the client) if the answer does not prove the secret. */
    private boolean authenticated(Control control, InetSocketAddress from) throws IOException {
        String nonce = Secret.nonce();
        control.send(Control.CHALLENGE + nonce);
        if (!security.secret().accepts(nonce, Control.after(Control.AUTH, control.readLine()))) {
            refusals.refused(from, "it did not prove the secret");
            control.send(Control.ERR + "authentication failed");
            return false;
        }
        return true;
    }

    /** HELLO with a stream of our pool, then the channel is the current one until its end. */
    private void serveClient(Control control, Socket socket) throws IOException, InterruptedException {
        String id = Control.after(Control.HELLO, control.readLine());
        if (!Control.isId(id)) {
            control.send(Control.ERR + "expected \"HELLO <8 hex digits>\"");
            return;
        }
        try (StreamConn proof = pool.outgoingGet(id, timeout)) {
            LOG.log(Level.DEBUG, "tunnel client proved stream {0} from {1}", proof.id(), proof.remoteAddress());
        } catch (PoolTimeoutException e) {
            control.send(Control.ERR + "stream " + id + " is not in this server's pool");
            return;
        }
        socket.setSoTimeout(0);
        socket.setKeepAlive(true);
        // one short ID line per user: with Nagle's algorithm each would wait for the ACK of the one
        // before, which the client, sending nothing back, delays (up to 40 ms on Linux)
        socket.setTcpNoDelay(true);
        // users may arrive as soon as the client reads OK: publish the channel first
        control.sendAfter(() -> client.set(control), Control.OK);
        LOG.log(Level.INFO, "tunnel client connected from {0}", socket.getRemoteSocketAddress());
        while (control.readLine() != null) {
            // the client sends nothing more; reading only notices its end
        }
        LOG.log(Level.INFO, "tunnel client at {0} left", socket.getRemoteSocketAddress());
    }

    /** The pool admits {@code from}'s address, and only it, on behalf of {@code control}. */
    private void open(Control control, InetSocketAddress from) {
        admissionLock.lock();
        try {
            admitted = control;
            pool.allowOnly(List.of(from.getAddress().getHostAddress()));
        } finally {
            admissionLock.unlock();
        }
    }

    /** If {@code control} was the last to open the pool, the pool admits nobody again. */
    private void revoke(Control control) {
        admissionLock.lock();
        try {
            if (admitted == control) {
                admitted = null;
                if (!closed) {
                    pool.allowOnly(List.of());
                }
            }
        } finally {
            admissionLock.unlock();
        }
    }

    private void own(Closeable resource) {
        open.add(resource);
        if (closed) {
            Lifecycle.closeQuietly(resource);
        }
    }

    /** Closes the ports, the control channel, every relayed connection and the pool. Idempotent. */
    @Override
    public void close() {
        closed = true;
        Lifecycle.closeQuietly(publicListener);
        Lifecycle.closeQuietly(controlListener);
        client.close();
        open.forEach(Lifecycle::closeQuietly);
        pool.close();
        Lifecycle.shutdown(executor);
        refusals.flush();
    }
}
