// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import quicpool.api.spi.OnceCallbacks;

/**
 * The end of one connection: fires once, whichever of Kwik's several end paths reports first, and
 * runs every registered callback exactly once (at once for callbacks registered after the end).
 */
final class CloseSignal {

    private static final System.Logger LOG = System.getLogger("quicpool.transport.kwik");

    private final OnceCallbacks callbacks = new OnceCallbacks(LOG, "connection close");
    /** Null until the end; then why, if a reason was given. */
    private final AtomicReference<Optional<String>> end = new AtomicReference<>();

    /** Why the connection ended, once it has. */
    Optional<String> reason() {
        Optional<String> why = end.get();
        return why == null ? Optional.empty() : why;
    }

    /** True once the connection has ended. */
    boolean isFired() {
        return end.get() != null;
    }

    /** Registers a callback; runs it now, on this thread, if the connection has already ended. */
    void register(Runnable callback) {
        callbacks.add(callback);
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
        if (!end.compareAndSet(null, Optional.ofNullable(why))) {
            return false;
        }
        callbacks.fire();
        return true;
    }
}
