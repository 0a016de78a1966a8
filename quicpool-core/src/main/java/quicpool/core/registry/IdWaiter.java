// SPDX-License-Identifier: Apache-2.0
package quicpool.core.registry;

/** An immutable list of threads waiting for one stream ID. */
final class IdWaiter {
    final Thread thread;
    final IdWaiter next;

    IdWaiter(Thread thread, IdWaiter next) {
        this.thread = thread;
        this.next = next;
    }

    /** This list without {@code w}; null when nothing is left. */
    IdWaiter without(IdWaiter w) {
        if (this == w) {
            return next;
        }
        IdWaiter rest = next == null ? null : next.without(w);
        return rest == next ? this : new IdWaiter(thread, rest);
    }
}
