// SPDX-License-Identifier: Apache-2.0
package quicpool.core.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import quicpool.api.PoolStats;
import quicpool.api.ServerPool;
import quicpool.api.internal.ServerPoolConfig;
import quicpool.api.spi.Capability;
import quicpool.api.spi.ConnectionHandler;
import quicpool.api.spi.ListenSpec;
import quicpool.api.spi.QuicSettings;
import quicpool.api.spi.QuicTransport;
import quicpool.api.spi.StreamHandler;
import quicpool.api.spi.TransportConnection;
import quicpool.api.spi.TransportListener;
import quicpool.api.spi.TransportStream;
import quicpool.core.id.Handshake;
import quicpool.core.id.StreamIds;
import quicpool.core.pool.PoolBase;
import quicpool.core.shard.PoolQuicSettings;
import quicpool.core.shard.ShardMath;
import quicpool.core.stream.PooledStream;
import quicpool.core.util.PoolThreads;

/**
 * The listening end: one listener, which refuses sources at their first packet by the allow-list,
 * the connection limits and the cap on handshakes in progress ({@link AdmissionControl}); admitted connections spread over the
 * shards; each new stream
 * handshaken on a worker (bounded wait for the request byte; at most {@link
 * ServerPoolConfig#maxPendingStreamsPerConnection()} of a connection and {@code MAX_PENDING_STREAMS} (48)
 * in all wait at once, see {@link PendingStreams}) and given an ID unique among the server's open
 * streams.
 */
public final class CoreServerPool extends PoolBase implements ServerPool {
    /** Reason sent when a client outside the allow-list completes a handshake. */
    public static final String UNAUTHORIZED = AdmissionControl.UNAUTHORIZED;
    /** Threads that handshake new streams. */
    static final int HANDSHAKE_WORKERS = 64;
    /**
     * Streams that may wait for their handshake byte at once, each holding a worker: fewer than the
     * workers, so that some are always free for streams whose byte is there.
     */
    static final int MAX_PENDING_STREAMS = 48;

    private final ServerPoolConfig config;
    private final QuicTransport transport;
    private final ServerShards shards;
    private final int shardCount;
    private final ExecutorService workers;
    private final Set<Integer> openIds = ConcurrentHashMap.newKeySet();
    private final LongAdder refused = new LongAdder();
    private final LongAdder refusedConnections = new LongAdder();
    private final LongAdder failedHandshakes = new LongAdder();
    private final AdmissionControl admission;
    private final PendingStreams<TransportConnection, Waiting> pending;
    private final RefusalLog streamRefusals;
    private volatile TransportListener listener;

    public CoreServerPool(ServerPoolConfig config, QuicTransport transport) {
        super(supported(config, transport).maxCapacity(), config.leakDetectionThreshold(), "server", config.name(),
                config.threadFactory());
        this.config = config;
        this.transport = transport;
        this.shardCount = ShardMath.shardCount(config.maxCapacity());
        this.shards = new ServerShards(shardCount);
        this.workers = new PoolThreads(config.threadFactory()).workers(threadPrefix() + "-handshake", HANDSHAKE_WORKERS);
        this.pending = new PendingStreams<>(config.maxPendingStreamsPerConnection(), MAX_PENDING_STREAMS);
        this.streamRefusals = new RefusalLog(this::poolName, RefusalLog.INTERVAL, System::nanoTime,
                line -> LOG.log(Level.INFO, line), "stream", "streams");
        this.admission = new AdmissionControl(config::admits, config.maxConnections(), config.maxConnectionsPerAddress(),
                config.maxHandshakes(), config.handshakeTimeout(), System::nanoTime, new RefusalLog(this::poolName, RefusalLog.INTERVAL, System::nanoTime, line -> LOG.log(Level.INFO, line)));
    }

    /** Returns {@code config}, checked before the pool makes anything: its options the transport must support. */
    private static ServerPoolConfig supported(ServerPoolConfig config, QuicTransport transport) {
        if (config.retry() && !transport.capabilities().contains(Capability.RETRY)) {
            throw new IllegalArgumentException("retry is true, but transport " + transport.name()
                    + " cannot validate addresses with a stateless QUIC Retry (it does not claim Capability.RETRY);"
                    + " build the pool without retry(true), or with a transport that claims it (netty)");
        }
        return config;
    }

    @Override
    protected void doStart() {
        QuicSettings settings = PoolQuicSettings.forKeepAlive(config.keepAlive());
        try {
            listener = transport.listen(new ListenSpec(config.listenAddress(), config.keyStore(), config.keyAlias(),
                    config.keyPassword(), settings, admission, config.handshakeTimeout(), config.retry()), new ConnectionHandler() {
                        @Override
                        public StreamHandler onConnection(TransportConnection connection) {
                            return accept(connection);
                        }

                        @Override
                        public void onHandshakeFailed(InetSocketAddress remote, String reason) {
                            admission.handshakeEnded(remote);
                            failedHandshakes.increment();
                            LOG.log(Level.DEBUG, "quicpool " + name() + ": handshake with " + remote + " failed: " + reason);
                        }
                    });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + config.listenAddress() + ": " + e.getMessage(), e);
        }
        LOG.log(Level.DEBUG, "quicpool " + name() + ": server pool listening on " + listener.localAddress() + " over "
                + transport.name());
    }

    private StreamHandler accept(TransportConnection conn) {
        if (isClosed()) {
            admission.handshakeEnded(conn.remoteAddress());
            conn.close(0, "pool closed");
            return null;
        }
        InetSocketAddress remote = conn.remoteAddress();
        admission.handshakeEnded(remote);
        String refusal = admission.open(remote);
        if (refusal != null) {
            refusedConnections.increment();
            conn.close(0, refusal);
            return null;
        }
        int shard = shards.add(conn);
        conn.onClose(() -> {
            admission.closed(remote);
            shards.remove(conn);
            evict(s -> s.owner() == conn, "connection ended");
        });
        if (!admission.allows(remote.getAddress())) {
            refusedConnections.increment();
            conn.close(0, UNAUTHORIZED); // the allow-list changed while it was admitted (see allowOnly)
            return null;
        }
        LOG.log(Level.DEBUG, "quicpool " + name() + ": accepted " + remote + " into shard " + shard);
        return stream -> onStream(conn, stream);
    }

    /** A stream waiting for its handshake byte, and its connection. */
    private record Waiting(TransportConnection conn, TransportStream stream) {
    }

    private void onStream(TransportConnection conn, TransportStream stream) {
        if (isClosed() || registry.active() >= config.maxCapacity()) {
            refuse(stream, null);
            return;
        }
        try {
            workers.execute(() -> handshake(conn, stream));
        } catch (RejectedExecutionException e) {
            refuse(stream, e);
        }
    }

    /** True if a read of {@code stream} returns at once: its byte is there (or it failed, and the read says why). */
    private static boolean readable(TransportStream stream) {
        try {
            return stream.inputStream().available() > 0;
        } catch (IOException e) {
            return true;
        }
    }

    /**
     * Counts {@code waiting} among the streams waiting for their byte; false if it was refused
     * (then closed). A stream it displaces is closed.
     */
    private boolean enterWaiting(Waiting waiting) {
        PendingStreams.Entry<Waiting> entry = pending.enter(waiting.conn(), waiting);
        if (entry.displaced() != null) {
            // its worker's read fails and finds it no longer waiting: counted here only
            refuseWaiting(entry.displaced(), "displaced by a stream of a connection with fewer awaiting their"
                    + " handshake byte: " + PendingStreams.SERVER_FULL);
        }
        if (entry.refusal() != null) {
            refuseWaiting(waiting, entry.refusal());
            return false;
        }
        return true;
    }

    /** Closes a stream refused by the limits on streams awaiting their byte, counted and logged (rate-limited). */
    private void refuseWaiting(Waiting w, String why) {
        streamRefusals.refused(w.conn().remoteAddress(), why);
        refuse(w.stream(), null);
    }

    private void handshake(TransportConnection conn, TransportStream stream) {
        // Only a stream whose byte is not there yet holds this worker: it counts against the limits.
        Waiting waiting = readable(stream) ? null : new Waiting(conn, stream);
        if (waiting != null && !enterWaiting(waiting)) {
            return;
        }
        try {
            Handshake.awaitRequest(stream, config.handshakeTimeout());
        } catch (IOException e) {
            if (waiting == null || pending.leave(conn, waiting)) {
                refuse(stream, e);
            }
            return;
        }
        if (waiting != null && !pending.leave(conn, waiting)) {
            return; // displaced, closed and counted while its byte arrived
        }
        // Room for one more idle stream: idle plus reserved never exceeds max capacity.
        if (!registry.reserve(config.maxCapacity())) {
            refuse(stream, null);
            return;
        }
        boolean registering = false;
        try {
            int id = newId();
            try {
                Handshake.answer(stream, id);
            } catch (IOException e) {
                openIds.remove(id);
                refuse(stream, e);
                return;
            }
            PooledStream ps = new PooledStream(StreamIds.toText(id), stream, conn, conn, () -> openIds.remove(id));
            registering = true;
            if (registry.registerReserved(ps)) {
                evictIfConnectionEnded(ps);
            } else {
                ps.close();
            }
        } finally {
            if (!registering) {
                registry.unreserve();
            }
        }
    }

    @Override
    public void allowOnly(Collection<String> addressesOrCidrs) {
        AllowList allowed = AllowList.parse(addressesOrCidrs);
        restrict(allowed, allowed.toString());
    }

    @Override
    public void allowAnyone() {
        restrict(client -> true, "anyone");
    }

    /**
     * Sets the rule first, then closes what it refuses: {@link #accept} adds a connection first,
     * then checks the rule, so a connection racing with the change is closed by one or the other.
     */
    private void restrict(Predicate<InetAddress> allowed, String described) {
        admission.allowList(allowed);
        LOG.log(Level.INFO, "quicpool " + name() + ": allow-list set to " + described);
        for (TransportConnection c : shards.snapshot()) {
            if (!admission.allows(c.remoteAddress().getAddress())) {
                LOG.log(Level.INFO, "quicpool " + name() + ": closing " + c.remoteAddress() + ", no longer allowed");
                c.close(0, UNAUTHORIZED);
            }
        }
    }

    /** A random ID no open stream of this server has. */
    private int newId() {
        int id;
        do {
            id = StreamIds.random();
        } while (!openIds.add(id));
        return id;
    }

    private void refuse(TransportStream stream, Exception why) {
        refused.increment();
        if (why != null) {
            LOG.log(Level.DEBUG, "quicpool " + name() + ": refused a stream: " + why);
        }
        stream.close();
    }

    @Override
    public InetSocketAddress localAddress() {
        TransportListener l = listener;
        if (l == null) {
            throw new IllegalStateException("server pool not started: call start() first");
        }
        return l.localAddress();
    }

    @Override
    protected String poolName() {
        TransportListener l = listener;
        String on = "";
        if (l != null) {
            try {
                on = "on " + l.localAddress() + " ";
            } catch (RuntimeException closed) {
                // a closed listener may not know its address any more
            }
        }
        return "server pool " + name() + " " + on + "over " + transport.name();
    }

    @Override
    protected void doClose() {
        for (TransportConnection c : shards.drain()) {
            c.close(0, "pool closed");
        }
        TransportListener l = listener;
        if (l != null) {
            l.close(); // after the connections: some stacks share the listener's socket with them
        }
        PoolThreads.shutdown(workers);
        admission.flushLog();
        streamRefusals.flush();
    }

    @Override
    public int capacity() {
        return config.maxCapacity();
    }

    @Override
    public Duration interval() {
        return Duration.ZERO;
    }

    @Override
    public int shardCount() {
        return shardCount;
    }

    @Override
    public boolean ready() {
        return !isClosed() && shards.connections() > 0;
    }

    /** Connections refused by the allow-list or a connection limit after their handshake, since start. */
    public long refusedConnections() {
        return refusedConnections.sum();
    }

    @Override
    public PoolStats stats() {
        return new PoolStats("server", transport.name(), shardCount, shards.connections(), registry.active(), config.maxCapacity(),
                Duration.ZERO, registry.registeredCount(), registry.takenCount(), registry.evictedCount(),
                refused.sum(), refusedConnections.sum() + failedHandshakes.sum(), errorCount(), registry.inUse(),
                registry.waiters(), admission.refusedPackets());
    }
}
