// SPDX-License-Identifier: Apache-2.0
package quicpool.core.client;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import quicpool.api.ClientPool;
import quicpool.api.PoolStats;
import quicpool.api.internal.ClientPoolConfig;
import quicpool.api.spi.DialSpec;
import quicpool.api.spi.QuicSettings;
import quicpool.api.spi.QuicTransport;
import quicpool.api.spi.TransportConnection;
import quicpool.api.spi.TransportStream;
import quicpool.core.control.RefillController;
import quicpool.core.control.RefillCycle;
import quicpool.core.id.Handshake;
import quicpool.core.id.StreamIds;
import quicpool.core.jfr.DialEvent;
import quicpool.core.jfr.RefillCycleEvent;
import quicpool.core.pool.PoolBase;
import quicpool.core.shard.PoolQuicSettings;
import quicpool.core.shard.ShardMath;
import quicpool.core.stream.PooledStream;
import quicpool.core.tls.TrustManagers;
import quicpool.core.util.PoolThreads;

/**
 * The dialing end. One refill thread runs a cycle every interval (or at once when the controller
 * asks): it reconnects shards whose connection ended, then opens the streams the target lacks,
 * shard after shard, each shard's streams pipelined on one worker: open them all, send every
 * handshake byte, then read every ID.
 *
 * <p>A shard runs at most one such task (dial or fill) at a time, and a cycle waits for its tasks
 * only up to {@link #taskWaitNanos()}: a connection whose server is slow or never answers keeps
 * its own shard busy until its task's timeouts end it, while the other shards go on refilling in
 * the next cycles. Streams still being opened count towards the target, so nothing is opened
 * twice for them.
 */
public final class CoreClientPool extends PoolBase implements ClientPool {
    private static final long MIN_TASK_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** The shortest read bound given to an ID whose batch deadline has passed (zero would mean none). */
    private static final Duration LAST_CHANCE = Duration.ofMillis(1);

    private final ClientPoolConfig config;
    private final QuicTransport transport;
    private final QuicSettings settings;
    private final RefillController controller;
    private final RefillCycle refill;
    private final ClientShard[] shards;
    private final PoolThreads threads;
    private final ExecutorService workers;
    private final LongAdder dialFailures = new LongAdder();
    private final LongAdder handshakeFailures = new LongAdder();
    /** Streams that fills are opening and have not yet registered or given up. */
    private final AtomicInteger opening = new AtomicInteger();
    /** Streams registered by fills since a cycle last told the controller. */
    private final AtomicInteger createdSinceReport = new AtomicInteger();
    private volatile Exception lastConnectFailure;
    private volatile Thread refillThread;
    /**
     * Counted down when the refill thread ends: {@link #doClose()} waits on it rather than with
     * {@code Thread.join}, whose monitor wait would pin a virtual thread calling close() on JDK 21-23.
     */
    private final CountDownLatch refillEnded = new CountDownLatch(1);
    private volatile boolean wakeRequested;

    public CoreClientPool(ClientPoolConfig config, QuicTransport transport, RefillController controller) {
        super(config.maxCapacity(), config.leakDetectionThreshold(), "client", config.name(), config.threadFactory());
        this.config = config;
        this.transport = transport;
        this.controller = controller;
        this.refill = new RefillCycle(controller, System::nanoTime);
        this.settings = PoolQuicSettings.forKeepAlive(config.keepAlive());
        this.shards = new ClientShard[ShardMath.shardCount(config.maxCapacity())];
        for (int i = 0; i < shards.length; i++) {
            shards[i] = new ClientShard(i);
        }
        this.threads = new PoolThreads(config.threadFactory());
        this.workers = threads.workers(threadPrefix() + "-worker", Math.min(64, 2 * shards.length + 2));
    }

    @Override
    protected void doStart() {
        TrustManagers.warnIfInsecure(config);
        Thread t = threads.newThread(threadPrefix() + "-refill", () -> {
            try {
                refillLoop();
            } finally {
                refillEnded.countDown();
            }
        });
        refillThread = t;
        t.start();
    }

    private void refillLoop() {
        while (!isClosed()) {
            try {
                cycle();
            } catch (RuntimeException e) {
                if (!isClosed()) {
                    LOG.log(Level.WARNING, "quicpool " + name() + ": refill cycle failed", e);
                }
            }
            awaitNextCycle(controller.interval().toNanos());
        }
    }

    private void awaitNextCycle(long nanos) {
        long deadline = System.nanoTime() + nanos;
        long left;
        while (!wakeRequested && !isClosed() && (left = deadline - System.nanoTime()) > 0) {
            LockSupport.parkNanos(this, left);
        }
        wakeRequested = false;
    }

    /** Runs the next refill cycle now instead of at the end of the interval. */
    void wake() {
        if (wakeRequested) {
            return; // whoever set it unparks; takes below target would otherwise unpark on every get
        }
        wakeRequested = true;
        Thread t = refillThread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    @Override
    protected void onTaken() {
        if (controller.onTake(registry.active())) {
            wake();
        }
    }

    /** One refill cycle: package-private so tests can step it. */
    void cycle() {
        RefillCycleEvent event = new RefillCycleEvent();
        event.begin();
        int idleAtStart = registry.active();
        refill.begin(idleAtStart);
        awaitUntil(connectShards(), System.nanoTime() + taskWaitNanos());
        int need = refill.need(registry.active() + opening.get());
        int requested = need;
        List<Future<?>> fills = new ArrayList<>();
        for (ClientShard shard : shards) {
            if (need <= 0 || isClosed()) {
                break;
            }
            ShardConnection sc = shard.live();
            if (sc == null || !shard.claim()) {
                continue;
            }
            int n = sc.credit.take(need);
            if (n == 0) {
                shard.release();
                continue;
            }
            opening.addAndGet(n);
            need -= n;
            Future<?> f = submit(shard, () -> {
                try {
                    createdSinceReport.addAndGet(fill(shard, sc, n));
                } finally {
                    opening.addAndGet(-n);
                }
            });
            if (f == null) {
                opening.addAndGet(-n);
                sc.credit.giveBack(n);
            } else {
                fills.add(f);
            }
        }
        awaitUntil(fills, System.nanoTime() + taskWaitNanos());
        int registered = 0;
        if (!isClosed()) {
            registered = createdSinceReport.getAndSet(0);
            refill.end(registered);
        }
        event.finish(name(), idleAtStart, controller.capacity(), requested, registered, registry.active());
    }

    /**
     * How long a cycle waits for the dials, then for the fills, it started: the longest refill
     * interval, at least a second. Tasks still running then go on without holding up the cycles.
     */
    private long taskWaitNanos() {
        return Math.max(MIN_TASK_WAIT_NANOS, config.maxInterval().toNanos());
    }

    private List<Future<?>> connectShards() {
        long now = System.nanoTime();
        List<Future<?>> dials = new ArrayList<>();
        for (ClientShard shard : shards) {
            if (shard.live() == null && shard.mayDial(now) && !isClosed() && shard.claim()) {
                Future<?> f = submit(shard, () -> dial(shard));
                if (f != null) {
                    dials.add(f);
                }
            }
        }
        return dials;
    }

    /** Runs {@code task} on a worker, the shard claimed until it ends; null if the pool is closing. */
    private Future<?> submit(ClientShard shard, Runnable task) {
        try {
            return workers.submit(() -> {
                try {
                    task.run();
                } finally {
                    shard.release();
                }
            });
        } catch (RejectedExecutionException e) {
            shard.release();
            return null;
        }
    }

    /** Waits for the tasks until {@code deadline}; those still running then are left to finish. */
    private void awaitUntil(List<Future<?>> tasks, long deadline) {
        for (Future<?> f : tasks) {
            try {
                f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (TimeoutException e) {
                LOG.log(Level.DEBUG, "quicpool " + name() + ": refill cycle goes on while a shard's task still runs");
            } catch (ExecutionException e) {
                LOG.log(Level.WARNING, "quicpool " + name() + ": refill task failed", e.getCause());
            }
        }
    }

    private void dial(ClientShard shard) {
        DialEvent event = new DialEvent();
        event.begin();
        InetSocketAddress address = null;
        TransportConnection conn;
        try {
            address = Objects.requireNonNull(config.addressResolver().get(), "address resolver returned null");
            String name = config.hostname() != null ? config.hostname() : address.getHostString();
            conn = transport.connect(new DialSpec(address, name, TrustManagers.forConfig(config, name), settings,
                    config.connectTimeout()));
        } catch (IOException | RuntimeException e) {
            event.finish(name(), shard.index, Objects.toString(address, null), e);
            dialFailed(shard, e);
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        event.finish(name(), shard.index, address.toString(), null);
        ShardConnection sc = new ShardConnection(conn);
        shard.current.set(sc);
        conn.onClose(() -> connectionEnded(shard, sc));
        if (isClosed()) {
            conn.close(0, "pool closed");
        }
    }

    private void dialFailed(ClientShard shard, Exception e) {
        lastConnectFailure = e;
        dialFailures.increment();
        int failures = shard.failed(System.nanoTime());
        LOG.log(failures == 1 ? Level.WARNING : Level.DEBUG,
                "quicpool " + name() + ": shard " + shard.index + " cannot connect (failure " + failures + "): " + e);
    }

    private void connectionEnded(ClientShard shard, ShardConnection sc) {
        shard.current.compareAndSet(sc, null);
        int evicted = evict(s -> s.owner() == sc, "connection ended");
        if (!isClosed()) {
            if (sc.served) {
                LOG.log(Level.INFO, () -> "quicpool " + name() + ": shard " + shard.index + ": connection to "
                        + sc.connection.remoteAddress() + " ended (" + sc.connection.closeReason().orElse("no reason given")
                        + "); " + evicted + " idle streams evicted; redialing");
            } else {
                IOException why = sc.failure;
                dialFailed(shard, why != null ? why : new IOException("server closed the connection before it served"
                        + " a stream: " + sc.connection.closeReason().orElse("no reason given")));
            }
            wake();
        }
    }

    /** Opens, announces and registers {@code n} streams on one connection; returns how many made it. */
    private int fill(ClientShard shard, ShardConnection sc, int n) {
        List<TransportStream> announced = new ArrayList<>(n);
        int created = 0;
        int failed = 0;
        IOException firstFailure = null;
        try {
            for (int i = 0; i < n && !isClosed(); i++) {
                TransportStream st;
                try {
                    st = sc.connection.openStream(config.connectTimeout());
                } catch (IOException e) {
                    LOG.log(Level.DEBUG, "quicpool " + name() + ": shard " + shard.index + " cannot open a stream: " + e);
                    break;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                try {
                    Handshake.request(st);
                    announced.add(st);
                } catch (IOException e) {
                    handshakeFailures.increment();
                    failed++;
                    if (firstFailure == null) {
                        firstFailure = e;
                    }
                    st.close();
                }
            }
            // The IDs of a batch are due together: one handshake timeout from the last request.
            long idDeadline = System.nanoTime() + config.handshakeTimeout().toNanos();
            for (TransportStream st : announced) {
                if (Thread.currentThread().isInterrupted() || isClosed()) {
                    st.close();
                    sc.credit.giveBack();
                    continue;
                }
                try {
                    if (register(sc, st, untilDeadline(idDeadline))) {
                        created++;
                    }
                } catch (IOException e) {
                    failed++;
                    if (firstFailure == null) {
                        firstFailure = e;
                    }
                }
            }
        } finally {
            sc.credit.giveBack(n - announced.size());
        }
        if (created > 0) {
            sc.served = true;
            shard.succeeded();
        } else if (failed > 0 && !sc.served && !isClosed() && !Thread.currentThread().isInterrupted()) {
            giveUp(sc, firstFailure);
        }
        return created;
    }

    private static Duration untilDeadline(long deadlineNanos) {
        Duration left = Duration.ofNanos(deadlineNanos - System.nanoTime());
        return left.compareTo(LAST_CHANCE) < 0 ? LAST_CHANCE : left;
    }

    /**
     * A new connection on which every stream handshake failed: the server does not speak the pool
     * protocol (or holds its max capacity). Closing it makes the shard back off and redial, like
     * a failed dial, instead of opening streams into it every cycle.
     */
    private void giveUp(ShardConnection sc, IOException why) {
        sc.failure = new IOException("no stream handshake succeeded on a new connection to "
                + sc.connection.remoteAddress() + " (the server refuses streams when it holds its max capacity,"
                + " or does not speak the pool protocol): " + why.getMessage(), why);
        sc.connection.close(0, "no stream handshake succeeded");
    }

    /**
     * Reads the stream's ID and registers it; false if the registry refused it (closed pool).
     *
     * @throws IOException if the server's answer failed or did not come (the stream is closed)
     */
    private boolean register(ShardConnection sc, TransportStream st, Duration timeout) throws IOException {
        int id;
        try {
            id = Handshake.readId(st, timeout);
        } catch (IOException e) {
            handshakeFailures.increment();
            LOG.log(Level.DEBUG, "quicpool " + name() + ": stream handshake failed: " + e);
            st.close();
            sc.credit.giveBack();
            throw e;
        }
        PooledStream ps = new PooledStream(StreamIds.toText(id), st, sc.connection, sc, sc.credit::giveBack);
        if (registry.register(ps)) {
            evictIfConnectionEnded(ps);
            return true;
        }
        if (!isClosed()) {
            LOG.log(Level.WARNING, "quicpool " + name() + ": server gave ID " + ps.id() + " twice; stream closed");
        }
        ps.close();
        return false;
    }

    @Override
    protected void doClose() {
        Thread t = refillThread;
        if (t != null) {
            t.interrupt();
        }
        for (ClientShard shard : shards) {
            ShardConnection sc = shard.current.getAndSet(null);
            if (sc != null) {
                sc.connection.close(0, "pool closed");
            }
        }
        PoolThreads.shutdown(workers);
        if (t != null) {
            try {
                if (!refillEnded.await(5, TimeUnit.SECONDS)) {
                    LOG.log(Level.WARNING, "quicpool refill thread still running 5 s after close");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public int capacity() {
        return controller.capacity();
    }

    @Override
    public Duration interval() {
        return controller.interval();
    }

    @Override
    public int shardCount() {
        return shards.length;
    }

    @Override
    public boolean ready() {
        return !isClosed() && liveConnections() > 0;
    }

    private int liveConnections() {
        int n = 0;
        for (ClientShard shard : shards) {
            if (shard.live() != null) {
                n++;
            }
        }
        return n;
    }

    @Override
    public java.util.Optional<Exception> lastConnectFailure() {
        return java.util.Optional.ofNullable(lastConnectFailure);
    }

    @Override
    protected String poolName() {
        String host = config.hostname();
        return "client pool " + name() + " " + (host != null ? "of " + host + " " : "") + "over " + transport.name();
    }

    @Override
    protected String lastFailure() {
        Exception e = lastConnectFailure;
        return e == null ? null : e.toString();
    }

    /** Dials that failed since start, resolver errors included. */
    public long dialFailures() {
        return dialFailures.sum();
    }

    @Override
    public PoolStats stats() {
        return new PoolStats("client", transport.name(), shards.length, liveConnections(), registry.active(), controller.capacity(),
                controller.interval(), registry.registeredCount(), registry.takenCount(), registry.evictedCount(),
                handshakeFailures.sum(), dialFailures.sum(), errorCount(), registry.inUse(), registry.waiters(), 0);
    }
}
