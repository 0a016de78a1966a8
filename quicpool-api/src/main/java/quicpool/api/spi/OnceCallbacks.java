// SPDX-License-Identifier: Apache-2.0
package quicpool.api.spi;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Callbacks to run once when something happens, for transports implementing {@link
 * TransportConnection#onClose(Runnable)} or {@link TransportStream#onPeerAbort(Runnable)}: each
 * callback {@link #add(Runnable) added} runs exactly once, when {@link #fire()} is first called,
 * or at once on the adding thread if that already happened. A callback that throws a {@link
 * RuntimeException} is logged as a WARNING and does not keep the others from running.
 *
 * <p>Thread-safe. Adding and firing take a lock only to move the list; callbacks run outside it.
 */
public final class OnceCallbacks {
    private final System.Logger log;
    private final String what;
    private final ReentrantLock lock = new ReentrantLock();
    private List<Runnable> pending = new ArrayList<>(2);
    private volatile boolean fired;

    /**
     * @param log  where a failing callback is reported
     * @param what what the callbacks are for, in that report, such as {@code "connection close"}
     * @throws NullPointerException if either is null
     */
    public OnceCallbacks(System.Logger log, String what) {
        this.log = Objects.requireNonNull(log, "log");
        this.what = Objects.requireNonNull(what, "what");
    }

    /**
     * Registers a callback to run when this fires; runs it now, on this thread, if it has fired.
     *
     * @throws NullPointerException if it is null
     */
    public void add(Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        lock.lock();
        try {
            if (!fired) {
                pending.add(callback);
                return;
            }
        } finally {
            lock.unlock();
        }
        run(callback);
    }

    /**
     * Fires: the first call runs every callback added so far on this thread, in the order they
     * were added; later calls do nothing.
     *
     * @return true for the call that fired, false for any later one
     */
    public boolean fire() {
        return fire(Runnable::run);
    }

    /**
     * As {@link #fire()}, but hands each callback to {@code executor}, in the order they were
     * added; callbacks added after this call still run at once on the adding thread.
     *
     * @return true for the call that fired, false for any later one
     * @throws NullPointerException if {@code executor} is null
     */
    public boolean fire(Executor executor) {
        Objects.requireNonNull(executor, "executor");
        List<Runnable> toRun;
        lock.lock();
        try {
            if (fired) {
                return false;
            }
            fired = true;
            toRun = pending;
            pending = List.of();
        } finally {
            lock.unlock();
        }
        for (Runnable callback : toRun) {
            executor.execute(() -> run(callback));
        }
        return true;
    }

    /** True once {@link #fire()} has been called. */
    public boolean hasFired() {
        return fired;
    }

    private void run(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            log.log(Level.WARNING, "a " + what + " callback failed", e);
        }
    }
}
