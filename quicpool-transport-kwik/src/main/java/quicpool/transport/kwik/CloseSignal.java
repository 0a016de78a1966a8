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

    private static final String SOCKET_CLOSED = "socket closed";
    /** The reason of an end first seen as the socket's close; compared by identity. */
    private static final Optional<String> BARE_SOCKET_CLOSE = Optional.of(SOCKET_CLOSED);

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
        return fire(BARE_SOCKET_CLOSE);
    }

    /**
     * {@link #fire()}, remembering why. The first reason counts, except that a reason given after
     * the connection's socket closed replaces "socket closed": Kwik closes the socket as it ends a
     * connection, and reports why (an idle timeout, the peer's close) a moment later.
     */
    boolean fire(String why) {
        return fire(Optional.ofNullable(why));
    }

    private boolean fire(Optional<String> reason) {
        String why = reason.orElse(null);
        if (!end.compareAndSet(null, reason)) {
            if (why != null && !SOCKET_CLOSED.equals(why)) {
                end.compareAndSet(BARE_SOCKET_CLOSE, Optional.of(SOCKET_CLOSED + " (" + why + ")"));
            }
            return false;
        }
        callbacks.fire();
        return true;
    }
}
