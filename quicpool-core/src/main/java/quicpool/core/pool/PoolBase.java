package quicpool.core.pool;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import quicpool.api.Pool;
import quicpool.api.PoolClosedException;
import quicpool.api.PoolStats;
import quicpool.api.PoolTimeoutException;
import quicpool.api.StreamConn;
import quicpool.api.internal.Check;
import quicpool.core.id.StreamIds;
import quicpool.core.registry.StreamRegistry;
import quicpool.core.stream.PooledStream;

/** What both roles share: the registry, the gets, the error counter and the close protocol. */
public abstract class PoolBase implements Pool {
    protected static final System.Logger LOG = System.getLogger("quicpool.core");

    protected final StreamRegistry registry;
    private final AtomicLong errors = new AtomicLong();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Null when leak detection is off: then a get's only cost for it is reading this field. */
    private final LeakDetector leaks;

    /** A pool without leak detection. */
    protected PoolBase(int maxIdle) {
        this(maxIdle, Duration.ZERO, null);
    }

    /**
     * @param leakThreshold how long a taken stream may stay open before it is reported; zero: off
     * @param threadPrefix  names the leak detector's timer thread; unused when detection is off
     */
    protected PoolBase(int maxIdle, Duration leakThreshold, String threadPrefix) {
        this.registry = new StreamRegistry(maxIdle);
        this.leaks = leakThreshold.isZero() ? null : new LeakDetector(leakThreshold, threadPrefix, this::poolName);
    }

    /**
     * How log messages name this pool, such as {@code "client pool of tunnel.example.com over kwik"}.
     * By default its role and transport.
     */
    protected String poolName() {
        PoolStats st = stats();
        return st.role() + " pool over " + st.transport();
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
        PooledStream s = registry.take(key, nanos);
        if (s == null) {
            throw new PoolTimeoutException(timeoutMessage("stream " + key + " did not arrive within " + timeout));
        }
        if (leaks != null) {
            leaks.taken(s);
        }
        onTaken();
        return s;
    }

    @Override
    public final StreamConn incomingGet(Duration timeout) throws PoolTimeoutException, InterruptedException {
        long nanos = nanos(timeout);
        checkStarted();
        PooledStream s = registry.takeAny(nanos);
        if (s == null) {
            throw new PoolTimeoutException(timeoutMessage("no stream became ready within " + timeout));
        }
        if (leaks != null) {
            leaks.taken(s);
        }
        onTaken();
        return s;
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
                .append(" (").append(st.role()).append(" pool over ").append(st.transport()).append(": ")
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
        registry.flush();
    }

    @Override
    public final void close() {
        if (closed.compareAndSet(false, true)) {
            registry.close();
            if (leaks != null) {
                leaks.close();
            }
            doClose();
        }
    }
}
