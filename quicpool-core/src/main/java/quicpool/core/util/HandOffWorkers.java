// SPDX-License-Identifier: Apache-2.0
package quicpool.core.util;

import java.time.Duration;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A thread pool that hands a task to an idle worker before it starts another: up to {@code
 * maxThreads} workers, each ended after {@code keepAlive} idle, and tasks beyond {@code maxThreads}
 * busy workers queued in arrival order. A steady trickle of tasks thus runs on one or two threads.
 *
 * <p>Why not a plain {@link ThreadPoolExecutor}: with a queue it starts a new thread for each task
 * until it has its core size (so a server pool's 64 handshake workers all exist after 64 serial
 * handshakes, and none is idle long enough to end while handshakes keep coming); with a
 * hand-off queue it rejects tasks beyond its maximum. Here the queue accepts a task only when an
 * idle worker takes it at once, the executor then starts a worker, and at its maximum the task is
 * queued for the next worker that is done.
 */
final class HandOffWorkers extends ThreadPoolExecutor {

    HandOffWorkers(int maxThreads, Duration keepAlive, ThreadFactory threads) {
        super(0, maxThreads, keepAlive.toNanos(), TimeUnit.NANOSECONDS, new HandOffQueue(), threads,
                HandOffWorkers::queueWhenAllBusy);
    }

    private static void queueWhenAllBusy(Runnable task, ThreadPoolExecutor executor) {
        if (executor.isShutdown()) {
            throw new RejectedExecutionException("the workers are shut down");
        }
        // Every worker was busy a moment ago; one that ends idle meanwhile is replaced while the
        // queue holds a task (ThreadPoolExecutor keeps a worker for a non-empty queue).
        ((HandOffQueue) executor.getQueue()).enqueue(task);
    }

    /** Takes a task only when a waiting worker takes it at once; {@link #enqueue} queues it for a later one. */
    private static final class HandOffQueue extends LinkedTransferQueue<Runnable> {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean offer(Runnable task) {
            return tryTransfer(task);
        }

        void enqueue(Runnable task) {
            super.offer(task);
        }
    }
}
