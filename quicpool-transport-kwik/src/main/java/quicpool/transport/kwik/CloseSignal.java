// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The end of one connection: fires once, whichever of Kwik's several end paths reports first, and
 * runs every registered callback exactly once (at once for callbacks registered after the end).
 */
final class CloseSignal {

    private static final System.Logger LOG = System.getLogger("quicpool.transport.kwik");

    private final ReentrantLock lock = new ReentrantLock();
    private List<Runnable> callbacks = new ArrayList<>();
    private volatile boolean fired;
    private volatile String reason;

    /** Why the connection ended, once it has. */
    java.util.Optional<String> reason() {
        return fired ? java.util.Optional.ofNullable(reason) : java.util.Optional.empty();
    }

    /** True once the connection has ended. */
    boolean isFired() {
        return fired;
    }

    /** Registers a callback; runs it now, on this thread, if the connection has already ended. */
    void register(Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        lock.lock();
        try {
            if (!fired) {
                callbacks.add(callback);
                return;
            }
        } finally {
            lock.unlock();
        }
        run(callback);
    }

    /**
     * Marks the end and runs the callbacks on this thread.
     *
     * @return true for the call that fired, false for any later call
     */
    boolean fire() {
        return fire("socket closed");
    }

    /** {@link #fire()}, remembering why (only the first reason counts). */
    boolean fire(String why) {
        List<Runnable> toRun;
        lock.lock();
        try {
            if (fired) {
                return false;
            }
            reason = why;
            fired = true;
            toRun = callbacks;
            callbacks = List.of();
        } finally {
            lock.unlock();
        }
        toRun.forEach(CloseSignal::run);
        return true;
    }

    private static void run(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "a connection close callback failed", e);
        }
    }
}
