// SPDX-License-Identifier: Apache-2.0
package quicpool.testkit;

import java.lang.System.Logger.Level;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs tasks one at a time, in submission order, on a shared executor: one connection side's
 * "transport thread", as a real QUIC stack has one event loop per connection.
 */
final class SerialExecutor implements Executor {
    private static final System.Logger LOG = System.getLogger("quicpool.testkit.inmemory");

    private final Executor pool;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    SerialExecutor(Executor pool) {
        this.pool = pool;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        schedule();
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            pool.execute(this::drain);
        }
    }

    private void drain() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                LOG.log(Level.WARNING, "in-memory transport callback failed", e);
            }
        }
        scheduled.set(false);
        // A task added after the last poll but before the reset would otherwise wait forever.
        if (!tasks.isEmpty()) {
            schedule();
        }
    }
}
