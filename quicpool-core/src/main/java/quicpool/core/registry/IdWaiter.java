// SPDX-License-Identifier: Apache-2.0
package quicpool.core.registry;

/**
 * An immutable list of the takes waiting for one stream ID: threads parked in {@link
 * StreamRegistry#take(String, long)}, and {@link AsyncTake}s waiting without a thread. Each entry
 * holds one of the two, the other null.
 */
final class IdWaiter {
    final Thread thread;
    final AsyncTake async;
    final IdWaiter next;

    IdWaiter(Thread thread, IdWaiter next) {
        this(thread, null, next);
    }

    IdWaiter(AsyncTake async, IdWaiter next) {
        this(null, async, next);
    }

    private IdWaiter(Thread thread, AsyncTake async, IdWaiter next) {
        this.thread = thread;
        this.async = async;
        this.next = next;
    }

    /** This list without the entry of {@code waiter} (its thread or its async take), if any; null when nothing is left. */
    IdWaiter withoutEntryOf(Object waiter) {
        for (IdWaiter w = this; w != null; w = w.next) {
            if (w.thread == waiter || w.async == waiter) {
                return without(w);
            }
        }
        return this;
    }

    /** This list without {@code w}; null when nothing is left. */
    IdWaiter without(IdWaiter w) {
        if (this == w) {
            return next;
        }
        IdWaiter rest = next == null ? null : next.without(w);
        return rest == next ? this : new IdWaiter(thread, async, rest);
    }

    /** True if some entry from this one on is an {@link AsyncTake}. */
    boolean anyAsync() {
        for (IdWaiter w = this; w != null; w = w.next) {
            if (w.async != null) {
                return true;
            }
        }
        return false;
    }
}
