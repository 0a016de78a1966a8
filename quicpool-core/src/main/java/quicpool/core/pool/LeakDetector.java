// SPDX-License-Identifier: Apache-2.0
package quicpool.core.pool;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import quicpool.core.stream.PooledStream;
import quicpool.core.util.PoolThreads;

/**
 * Reports streams held past a threshold: each take schedules one check on the pool's single timer
 * thread, which closing the stream cancels. The timer thread starts with the first take and ends
 * with {@link #close()}. Thread-safe.
 */
final class LeakDetector {
    static final System.Logger LOG = System.getLogger("quicpool.core.leak");

    private final long thresholdNanos;
    private final Duration threshold;
    private final Supplier<String> poolName;
    private final ScheduledThreadPoolExecutor timer;

    /** @param timer runs the checks: from {@link PoolThreads#timer}, so a stream closed in time leaves nothing queued */
    LeakDetector(Duration threshold, ScheduledThreadPoolExecutor timer, Supplier<String> poolName) {
        this.threshold = threshold;
        this.thresholdNanos = threshold.toNanos();
        this.poolName = poolName;
        this.timer = timer;
    }

    /** Where a get is: call from the get itself, so that the stack trace shows its caller. */
    static Throwable here() {
        return new Throwable("the get that took the stream");
    }

    /** A get called at {@code where} ({@link #here()}) just took {@code s}. */
    void taken(PooledStream s, Throwable where) {
        long takenAt = System.nanoTime();
        try {
            s.cancelOnClose(timer.schedule(() -> report(s, where, takenAt), thresholdNanos, TimeUnit.NANOSECONDS));
        } catch (RejectedExecutionException closingOrNoThread) {
            // the pool is closing: no more reports; or the threadFactory failed, which PoolThreads logged
        }
    }

    private void report(PooledStream s, Throwable where, long takenAt) {
        if (s.closeCalled()) {
            return; // closed as the check came due
        }
        long heldMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - takenAt);
        LOG.log(Level.WARNING, "quicpool " + poolName.get() + ": stream " + s.id() + " has been held for " + heldMillis
                + " ms and is not closed (leak detection threshold " + threshold.toMillis()
                + " ms); it was taken here:", where);
    }

    /** Drops every pending check and ends the timer thread. */
    void close() {
        PoolThreads.shutdown(timer);
    }
}
