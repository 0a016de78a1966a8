// SPDX-License-Identifier: Apache-2.0
package quicpool.core.util;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes the pool's own threads, and ends them in {@link #shutdown(ExecutorService)}: by default
 * daemon platform threads named {@code prefix-N}; with the builder's {@code threadFactory}, that
 * factory's threads. Every thread a pool starts is made here. Thread-safe.
 */
public final class PoolThreads {
    private static final System.Logger LOG = System.getLogger("quicpool.core");

    /** The user's factory, or null for the built-in daemon threads. */
    private final ThreadFactory custom;

    /** @param custom the {@code threadFactory} option; null for the built-in daemon threads */
    public PoolThreads(ThreadFactory custom) {
        this.custom = custom;
    }

    /** Daemon platform threads named {@code prefix-N}: the default. */
    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * The factory of this pool's {@code prefix} threads. A failure of the user's factory (an
     * exception, or null instead of a thread) is logged as a WARNING and thrown as a {@link
     * RejectedExecutionException}, which is what an executor's callers expect when a task cannot
     * run: without it, an executor given null would queue the task for a worker that never comes.
     */
    public ThreadFactory factory(String prefix) {
        if (custom == null) {
            return named(prefix);
        }
        return r -> {
            Thread t;
            try {
                t = custom.newThread(r);
            } catch (RuntimeException e) {
                throw failed(prefix, "threadFactory threw " + e, e);
            }
            if (t == null) {
                throw failed(prefix, "threadFactory returned null; it must return a new, unstarted thread", null);
            }
            return t;
        };
    }

    private static RejectedExecutionException failed(String prefix, String why, Throwable cause) {
        RejectedExecutionException e = new RejectedExecutionException(
                "quicpool could not make a " + prefix + " thread: " + why, cause);
        LOG.log(Level.WARNING, e.getMessage(), cause);
        return e;
    }

    /**
     * A new, unstarted thread of the {@code prefix} threads running {@code task}.
     *
     * @throws RejectedExecutionException if the user's factory failed (see {@link #factory(String)})
     */
    public Thread newThread(String prefix, Runnable task) {
        return factory(prefix).newThread(task);
    }

    /**
     * Up to {@code maxThreads} workers that end after 10 s idle; an idle worker takes a task before
     * another is started, and tasks beyond {@code maxThreads} busy workers queue.
     */
    public ExecutorService workers(String prefix, int maxThreads) {
        return new HandOffWorkers(maxThreads, WORKER_KEEP_ALIVE, factory(prefix));
    }

    private static final Duration WORKER_KEEP_ALIVE = Duration.ofSeconds(10);

    /**
     * One timer thread, started by the first task scheduled: a cancelled task leaves its queue at
     * once (a pool schedules one per get and cancels most of them), and {@link #shutdown} drops
     * the tasks still waiting.
     */
    public ScheduledThreadPoolExecutor timer(String prefix) {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, factory(prefix));
        timer.setRemoveOnCancelPolicy(true);
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return timer;
    }

    /** Interrupts the workers and waits for them to end, 5 s at most. */
    public static void shutdown(ExecutorService e) {
        e.shutdownNow();
        try {
            if (!e.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "quicpool worker threads still running 5 s after close");
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
    }
}
