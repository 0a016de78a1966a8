package quicpool.core.client;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import quicpool.api.ClientPool;
import quicpool.api.ClientPoolConfig;
import quicpool.api.PoolStats;
import quicpool.api.spi.DialSpec;
import quicpool.api.spi.QuicSettings;
import quicpool.api.spi.QuicTransport;
import quicpool.api.spi.TransportConnection;
import quicpool.api.spi.TransportStream;
import quicpool.core.control.RefillController;
import quicpool.core.control.RefillCycle;
import quicpool.core.id.Handshake;
import quicpool.core.id.StreamIds;
import quicpool.core.pool.PoolBase;
import quicpool.core.shard.ShardMath;
import quicpool.core.stream.PooledStream;
import quicpool.core.tls.TrustManagers;
import quicpool.core.util.PoolThreads;

/**
 * The dialing end. One refill thread runs a cycle every interval (or at once when the controller
 * asks): it reconnects shards whose connection ended, then opens the streams the target lacks,
 * shard after shard, each shard's streams pipelined on one worker: open them all, send every
 * handshake byte, then read every ID.
 */
public final class CoreClientPool extends PoolBase implements ClientPool {
    private static final int PER_SHARD = QuicSettings.STREAMS_PER_CONNECTION;

    private final ClientPoolConfig config;
    private final QuicTransport transport;
    private final QuicSettings settings;
    private final RefillController controller;
    private final RefillCycle refill;
    private final ClientShard[] shards;
    private final ExecutorService workers;
    private final LongAdder dialFailures = new LongAdder();
    private final LongAdder handshakeFailures = new LongAdder();
    private volatile Exception lastConnectFailure;
    private volatile Thread refillThread;
    private volatile boolean wakeRequested;

    public CoreClientPool(ClientPoolConfig config, QuicTransport transport, RefillController controller) {
        super(config.maxCapacity());
        this.config = config;
        this.transport = transport;
        this.controller = controller;
        this.refill = new RefillCycle(controller, System::nanoTime);
        this.settings = QuicSettings.forKeepAlive(config.keepAlive(), config.connectTimeout());
        this.shards = new ClientShard[ShardMath.shardCount(config.maxCapacity())];
        for (int i = 0; i < shards.length; i++) {
            shards[i] = new ClientShard(i);
        }
        this.workers = PoolThreads.workers("quicpool-client-worker", Math.min(64, 2 * shards.length + 2));
    }

    @Override
    protected void doStart() {
        Thread t = PoolThreads.named("quicpool-client-refill").newThread(this::refillLoop);
        refillThread = t;
        t.start();
    }

    private void refillLoop() {
        while (!isClosed()) {
            try {
                cycle();
            } catch (RuntimeException e) {
                if (!isClosed()) {
                    LOG.log(Level.WARNING, "quicpool refill cycle failed", e);
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
        refill.begin(registry.active());
        connectShards();
        int need = refill.need(registry.active());
        List<Future<Integer>> fills = new ArrayList<>();
        for (ClientShard shard : shards) {
            if (need <= 0 || isClosed()) {
                break;
            }
            ShardConnection sc = shard.live();
            if (sc == null) {
                continue;
            }
            int n = Math.min(need, PER_SHARD - sc.openStreams.get());
            if (n <= 0) {
                continue;
            }
            sc.openStreams.addAndGet(n);
            fills.add(workers.submit(() -> fill(shard, sc, n)));
            need -= n;
        }
        int created = 0;
        long bound = config.connectTimeout().plus(config.handshakeTimeout()).plusSeconds(1).toNanos();
        for (Future<Integer> f : fills) {
            created += await(f, bound, 0);
        }
        if (!isClosed()) {
            refill.end(created);
        }
    }

    private void connectShards() {
        long now = System.nanoTime();
        List<Future<?>> dials = new ArrayList<>();
        for (ClientShard shard : shards) {
            if (shard.live() == null && shard.mayDial(now) && !isClosed()) {
                dials.add(workers.submit(() -> dial(shard)));
            }
        }
        long bound = config.connectTimeout().plusSeconds(1).toNanos();
        for (Future<?> f : dials) {
            await(f, bound, null);
        }
    }

    private <T> T await(Future<T> f, long nanos, T fallback) {
        try {
            return f.get(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(true);
        } catch (TimeoutException e) {
            f.cancel(true);
            LOG.log(Level.WARNING, "quicpool refill task exceeded its bound and was cancelled");
        } catch (ExecutionException e) {
            LOG.log(Level.WARNING, "quicpool refill task failed", e.getCause());
        }
        return fallback;
    }

    private void dial(ClientShard shard) {
        TransportConnection conn;
        try {
            InetSocketAddress address = Objects.requireNonNull(config.addressResolver().get(),
                    "address resolver returned null");
            String name = config.hostname() != null ? config.hostname() : address.getHostString();
            conn = transport.connect(new DialSpec(address, name, TrustManagers.forConfig(config, name), settings));
        } catch (IOException | RuntimeException e) {
            dialFailed(shard, e);
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
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
                "quicpool shard " + shard.index + " cannot connect (failure " + failures + "): " + e);
    }

    private void connectionEnded(ClientShard shard, ShardConnection sc) {
        shard.current.compareAndSet(sc, null);
        registry.evict(s -> s.owner() == sc);
        if (!isClosed()) {
            if (!sc.served) {
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
        IOException lastFailure = null;
        try {
            for (int i = 0; i < n && !isClosed(); i++) {
                TransportStream st;
                try {
                    st = sc.connection.openStream(config.connectTimeout());
                } catch (IOException e) {
                    LOG.log(Level.DEBUG, "quicpool shard " + shard.index + " cannot open a stream: " + e);
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
                    lastFailure = e;
                    st.close();
                }
            }
            for (TransportStream st : announced) {
                if (Thread.currentThread().isInterrupted() || isClosed()) {
                    st.close();
                    sc.release();
                    continue;
                }
                try {
                    if (register(sc, st)) {
                        created++;
                    }
                } catch (IOException e) {
                    failed++;
                    lastFailure = e;
                }
            }
        } finally {
            sc.openStreams.addAndGet(-(n - announced.size()));
        }
        if (created > 0) {
            sc.served = true;
            shard.succeeded();
        } else if (failed > 0 && !sc.served && !isClosed() && !Thread.currentThread().isInterrupted()) {
            giveUp(sc, lastFailure);
        }
        return created;
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
    private boolean register(ShardConnection sc, TransportStream st) throws IOException {
        int id;
        try {
            id = Handshake.readId(st, config.handshakeTimeout());
        } catch (IOException e) {
            handshakeFailures.increment();
            LOG.log(Level.DEBUG, "quicpool stream handshake failed: " + e);
            st.close();
            sc.release();
            throw e;
        }
        PooledStream ps = new PooledStream(StreamIds.toText(id), st, sc.connection, sc, sc::release);
        if (registry.register(ps)) {
            return true;
        }
        if (!isClosed()) {
            LOG.log(Level.WARNING, "quicpool server gave ID " + ps.id() + " twice; stream closed");
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
                t.join(TimeUnit.SECONDS.toMillis(5));
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

    /** Dials that failed since start, resolver errors included. */
    public long dialFailures() {
        return dialFailures.sum();
    }

    @Override
    public PoolStats stats() {
        return new PoolStats("client", transport.name(), shards.length, liveConnections(), registry.active(), controller.capacity(),
                controller.interval(), registry.registeredCount(), registry.takenCount(), registry.evictedCount(),
                handshakeFailures.sum(), dialFailures.sum(), errorCount());
    }
}
