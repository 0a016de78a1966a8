// SPDX-License-Identifier: Apache-2.0
package quicpool.core.pool;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import quicpool.api.Pool;
import quicpool.api.PoolClosedException;
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

    protected PoolBase(int maxIdle) {
        this.registry = new StreamRegistry(maxIdle);
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

    @Override
    public final StreamConn outgoingGet(String id, Duration timeout) throws PoolTimeoutException, InterruptedException {
        String key = StreamIds.canonical(Objects.requireNonNull(id, "id"));
        long nanos = nanos(timeout);
        PooledStream s = registry.take(key, nanos);
        if (s == null) {
            throw new PoolTimeoutException("stream " + key + " did not arrive within " + timeout);
        }
        onTaken();
        return s;
    }

    @Override
    public final StreamConn incomingGet(Duration timeout) throws PoolTimeoutException, InterruptedException {
        long nanos = nanos(timeout);
        PooledStream s = registry.takeAny(nanos);
        if (s == null) {
            throw new PoolTimeoutException("no stream became ready within " + timeout);
        }
        onTaken();
        return s;
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
            doClose();
        }
    }
}
