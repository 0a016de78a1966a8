// SPDX-License-Identifier: Apache-2.0
package quicpool.core.pool;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import quicpool.api.GetOutcome;
import quicpool.api.Pool;
import quicpool.api.PoolClosedException;
import quicpool.api.PoolMetrics;
import quicpool.api.PoolStats;
import quicpool.api.PoolTimeoutException;
import quicpool.api.StreamConn;
import quicpool.api.internal.Check;
import quicpool.core.id.StreamIds;
import quicpool.core.jfr.EvictionEvent;
import quicpool.core.jfr.Events;
import quicpool.core.jfr.GetWaitedEvent;
import quicpool.core.registry.AsyncTake;
import quicpool.core.registry.StreamRegistry;
import quicpool.core.stream.PooledStream;
import quicpool.core.util.PoolThreads;

/** What both roles share: the registry, the gets, the error counter and the close protocol. */
public abstract class PoolBase implements Pool {
    static {
        Events.initialize();
    }

    protected static final System.Logger LOG = System.getLogger("quicpool.core");

    protected final StreamRegistry registry;
    private final AtomicLong errors = new AtomicLong();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final String role;
    private final String name;
    /**
     * Where gets report, from the builder's {@code metrics}; null without: then a get's only cost
     * for metrics is reading this field. Written once, by {@link #bindMetrics}, before the pool
     * leaves {@code build()}.
     */
    private volatile PoolMetrics.Recorder recorder;

    /** Null when leak detection is off: then a get's only cost for it is reading this field. */
    private final LeakDetector leaks;

    /**
     * Times out the async gets that wait: one thread, started by the first of them and ended by
     * {@link #close()}; a get that completes in time cancels its timeout, which then leaves the queue.
     */
    private final ScheduledThreadPoolExecutor asyncTimeouts;

    /**
     * @param leakThreshold how long a taken stream may stay open before it is reported; zero: off
     * @param role          {@code "client"} or {@code "server"}: names the pool when {@code name} is null
     * @param name          the builder's {@code name}, or null for {@code role-N}; the pool's timer
     *                      threads are named {@code quicpool-NAME-leak-1} (leak detection) and
     *                      {@code quicpool-NAME-async-timeout-1} (async gets) when they are the
     *                      built-in ones
     * @param threadFactory the builder's {@code threadFactory}, which makes them; null for the
     *                      built-in daemon threads
     */
    protected PoolBase(int maxIdle, Duration leakThreshold, String role, String name, ThreadFactory threadFactory) {
        this.role = role;
        this.name = name != null ? name : PoolNames.next(role);
        String threadPrefix = threadPrefix();
        PoolThreads threads = new PoolThreads(threadFactory);
        this.registry = new StreamRegistry(maxIdle);
        this.leaks = leakThreshold.isZero() ? null
                : new LeakDetector(leakThreshold, threads.timer(threadPrefix + "-leak"), this::poolName);
        this.asyncTimeouts = threads.timer(threadPrefix + "-async-timeout");
    }

    /** What the names of this pool's threads begin with: {@code quicpool-NAME}. */
    protected final String threadPrefix() {
        return "quicpool-" + name;
    }

    /**
     * Binds the builder's {@code metrics} to this pool, now fully made: the engine calls it before
     * handing the pool out. Does nothing for null. If the binding throws, closes the pool and throws.
     */
    public final void bindMetrics(PoolMetrics metrics) {
        if (metrics == null) {
            return;
        }
        try {
            recorder = Objects.requireNonNull(metrics.bind(this), "PoolMetrics.bind returned null");
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Tells the recorder, if any, how a get ended. */
    private void report(GetOutcome outcome, long waitedNanos) {
        PoolMetrics.Recorder r = recorder;
        if (r != null) {
            r.recordGet(outcome, waitedNanos);
        }
    }

    @Override
    public final String name() {
        return name;
    }

    /**
     * How log messages name this pool, such as {@code "client pool tunnel of tunnel.example.com over
     * kwik"}. By default its role, name and transport.
     */
    protected String poolName() {
        return role + " pool " + name + " over " + stats().transport();
    }

    @Override
    public final void start() {
        if (closed.get()) {
            throw new PoolClosedException("pool closed: cannot start it again");
        }
        if (started.compareAndSet(false, true)) {
            doStart();
        }
    }

    protected final boolean started() {
        return started.get();
    }

    protected final boolean isClosed() {
        return closed.get();
    }

    protected abstract void doStart();

    protected abstract void doClose();

    /** A stream was taken: the client may want to refill at once. */
    protected void onTaken() {
    }

    /**
     * Why the pool may have no streams, for the message of a get that timed out: the client's last
     * connect failure; null when there is nothing to say.
     */
    protected String lastFailure() {
        return null;
    }

    @Override
    public final StreamConn outgoingGet(String id, Duration timeout) throws PoolTimeoutException, InterruptedException {
        String key = StreamIds.canonical(Objects.requireNonNull(id, "id"));
        long nanos = nanos(timeout);
        checkStarted();
        PooledStream s = registry.take(key);
        if (s == null) {
            s = await(key, timeout, nanos);
        } else {
            report(GetOutcome.TAKEN, 0);
        }
        taken(s, leaks == null ? null : LeakDetector.here());
        return s;
    }

    @Override
    public final StreamConn incomingGet(Duration timeout) throws PoolTimeoutException, InterruptedException {
        long nanos = nanos(timeout);
        checkStarted();
        PooledStream s = registry.takeAny();
        if (s == null) {
            s = await(null, timeout, nanos);
        } else {
            report(GetOutcome.TAKEN, 0);
        }
        taken(s, leaks == null ? null : LeakDetector.here());
        return s;
    }

    /**
     * The slow path of both blocking gets, once a take found nothing: waits up to {@code nanos} for
     * the stream with ID {@code key}, or any stream when it is null; a wait makes a JFR event.
     * Reports to the recorder how the get ended.
     */
    private PooledStream await(String key, Duration timeout, long nanos) throws PoolTimeoutException, InterruptedException {
        PooledStream s = null;
        if (nanos > 0) {
            GetWaitedEvent event = new GetWaitedEvent();
            event.begin();
            long start = System.nanoTime();
            GetOutcome outcome = GetOutcome.CLOSED; // unless the wait returns or is interrupted
            try {
                s = key == null ? registry.takeAny(nanos) : registry.take(key, nanos);
                outcome = s != null ? GetOutcome.TAKEN : GetOutcome.TIMED_OUT;
            } catch (InterruptedException e) {
                outcome = GetOutcome.INTERRUPTED;
                throw e;
            } finally {
                event.finish(name, role, key, false, nanos, outcome);
                report(outcome, System.nanoTime() - start);
            }
        } else {
            report(GetOutcome.TIMED_OUT, 0);
        }
        if (s == null) {
            throw new PoolTimeoutException(timeoutMessage(timedOut(key, timeout)));
        }
        return s;
    }

    /** What a get that timed out waited for. */
    private static String timedOut(String key, Duration timeout) {
        return key == null ? "no stream became ready within " + timeout
                : "stream " + key + " did not arrive within " + timeout;
    }

    /** What follows every take that hands {@code s} out; {@code where} is the get's stack when leak detection is on. */
    private void taken(PooledStream s, Throwable where) {
        if (leaks != null) {
            leaks.taken(s, where);
        }
        onTaken();
    }

    @Override
    public final CompletableFuture<StreamConn> outgoingGetAsync(String id, Duration timeout) {
        String key = StreamIds.canonical(Objects.requireNonNull(id, "id"));
        return getAsync(key, timeout);
    }

    @Override
    public final CompletableFuture<StreamConn> incomingGetAsync(Duration timeout) {
        return getAsync(null, timeout);
    }

    /** Both async gets: the stream with ID {@code key}, or any stream when it is null. */
    private CompletableFuture<StreamConn> getAsync(String key, Duration timeout) {
        long nanos = nanos(timeout);
        checkStarted();
        Throwable where = leaks == null ? null : LeakDetector.here();
        PooledStream s;
        try {
            s = key == null ? registry.takeAny() : registry.take(key);
        } catch (PoolClosedException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (s != null) {
            report(GetOutcome.TAKEN, 0);
            taken(s, where);
            return CompletableFuture.completedFuture(s);
        }
        if (nanos == 0) {
            report(GetOutcome.TIMED_OUT, 0);
            return CompletableFuture.failedFuture(new PoolTimeoutException(timeoutMessage(timedOut(key, timeout))));
        }
        Pending w = new Pending(key, timeout, nanos, where);
        if (key == null) {
            registry.waitAny(w);
        } else {
            registry.waitFor(w);
        }
        w.startTimer(nanos);
        return w;
    }

    /**
     * An async get that waits: listed with the registry, timed out by {@link #asyncTimeouts}. Its
     * outcome is whoever completes it first; the timer is cancelled by a delivery or a cancel. The
     * one completion that wins also ends its JFR event and reports to the recorder; a get its
     * holder completes with a value (not a stream of the pool) does neither.
     */
    private final class Pending extends AsyncTake implements Runnable {
        private final String key;
        private final Duration timeout;
        private final long nanos;
        private final Throwable where;
        private final GetWaitedEvent event = new GetWaitedEvent();
        private final long startNanos = System.nanoTime();
        private volatile Future<?> timer;

        Pending(String key, Duration timeout, long nanos, Throwable where) {
            super(registry, key);
            this.key = key;
            this.timeout = timeout;
            this.nanos = nanos;
            this.where = where;
            event.begin();
        }

        private void ended(GetOutcome outcome) {
            event.finish(name, role, key, true, nanos, outcome);
            report(outcome, System.nanoTime() - startNanos);
        }

        /** Timeouts, the pool's close and a holder's exception all complete the get here. */
        @Override
        public boolean completeExceptionally(Throwable ex) {
            boolean completed = super.completeExceptionally(ex);
            if (completed) {
                ended(ex instanceof PoolTimeoutException ? GetOutcome.TIMED_OUT
                        : ex instanceof PoolClosedException ? GetOutcome.CLOSED : GetOutcome.CANCELLED);
            }
            return completed;
        }

        void startTimer(long nanos) {
            Future<?> t;
            try {
                t = asyncTimeouts.schedule(this, nanos, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) { // the pool is closing, or the threadFactory failed
                registry.abandon(this);
                completeExceptionally(isClosed() ? new PoolClosedException("pool closed") : e);
                return;
            }
            timer = t;
            if (isDone()) { // after writing the timer: pairs with stopTimer, one of the two sees the other's write
                t.cancel(false);
            }
        }

        /** The timeout: off the waiters first, so the message counts only the others, then complete. */
        @Override
        public void run() {
            registry.abandon(this);
            if (!isDone()) {
                completeExceptionally(new PoolTimeoutException(timeoutMessage(timedOut(key, timeout))));
            }
        }

        @Override
        protected void delivered(PooledStream s) {
            stopTimer();
            ended(GetOutcome.TAKEN);
            taken(s, where);
        }

        @Override
        protected void cancelled() {
            stopTimer();
            ended(GetOutcome.CANCELLED);
        }

        private void stopTimer() {
            Future<?> t = timer; // after the completion: pairs with startTimer
            if (t != null) {
                t.cancel(false);
            }
        }
    }

    /**
     * A get on a pool never started would wait for streams nothing opens or accepts. One volatile
     * read on the get path; the closed check runs only for a pool never started (a started pool's
     * registry reports its closing itself).
     */
    private void checkStarted() {
        if (!started.get()) {
            if (closed.get()) {
                throw new PoolClosedException("pool closed");
            }
            throw new IllegalStateException("pool not started: call start() before taking streams from it");
        }
    }

    /**
     * What a timed-out get says: what it waited for, then the pool's state, so that the message
     * alone tells an empty pool from a disconnected one. Runs only on a timeout.
     */
    private String timeoutMessage(String what) {
        PoolStats st = stats();
        int others = registry.waiters();
        StringBuilder m = new StringBuilder(what.length() + 160).append(what)
                .append(" (").append(st.role()).append(" pool ").append(name).append(" over ").append(st.transport()).append(": ")
                .append(st.active()).append(st.active() == 1 ? " idle stream" : " idle streams")
                .append(", target capacity ").append(st.capacity())
                .append(", ").append(st.connections()).append(st.connections() == 1 ? " live connection" : " live connections")
                .append(", ").append(others).append(others == 1 ? " other get waiting" : " other gets waiting");
        String failure = lastFailure();
        if (failure != null) {
            m.append("; last connect failure: ").append(failure);
        }
        return m.append(')').toString();
    }

    private static long nanos(Duration timeout) {
        Check.notNegative("timeout", timeout);
        try {
            return timeout.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    @Override
    public final int active() {
        return registry.active();
    }

    @Override
    public final void addError() {
        errors.incrementAndGet();
    }

    @Override
    public final long errorCount() {
        return errors.get();
    }

    @Override
    public final void resetError() {
        errors.set(0);
    }

    @Override
    public final void flush() {
        evict(s -> true, "flush");
    }

    /**
     * Evicts {@code ps}, just registered as idle, if its connection has ended meanwhile. The
     * connection's own eviction runs from its close callback, once {@code isOpen()} is false, and
     * may have swept the idle streams before {@code ps} was among them. The registration comes
     * before this read of {@code isOpen()}, as the end of the connection comes before its sweep, so
     * the sweep finds the stream or this finds the end (or both, and one of them evicts it).
     */
    protected final void evictIfConnectionEnded(PooledStream ps) {
        if (!ps.connectionOpen()) {
            evict(s -> s == ps, "connection ended");
        }
    }

    /**
     * Closes and forgets the idle streams matching {@code which}, and tells JFR how many went and
     * why ({@code "connection ended"}, {@code "flush"}). Returns how many.
     */
    protected final int evict(Predicate<PooledStream> which, String reason) {
        EvictionEvent event = new EvictionEvent();
        event.begin();
        int n = registry.evict(which);
        event.finish(name, role, reason, n);
        return n;
    }

    @Override
    public final void close() {
        if (closed.compareAndSet(false, true)) {
            registry.close();
            if (leaks != null) {
                leaks.close();
            }
            PoolThreads.shutdown(asyncTimeouts);
            doClose();
            closeRecorder();
        }
    }

    private void closeRecorder() {
        PoolMetrics.Recorder r = recorder;
        if (r != null) {
            try {
                r.close();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "quicpool " + name + ": metrics recorder failed to close", e);
            }
        }
    }
}
