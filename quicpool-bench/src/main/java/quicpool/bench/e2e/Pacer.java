// SPDX-License-Identifier: Apache-2.0
package quicpool.bench.e2e;

import java.util.concurrent.locks.LockSupport;

/**
 * Starts operations at a fixed rate, as requests reach a tunnel: {@link #await()} returns at the
 * next slot. A late operation does not cause a burst of catch-up: the schedule restarts from now.
 */
final class Pacer {
    private final long periodNanos;
    private long next;

    Pacer(long periodNanos) {
        this.periodNanos = periodNanos;
        this.next = System.nanoTime();
    }

    void await() {
        long now = System.nanoTime();
        if (now - next > periodNanos) {
            next = now;
        }
        for (long left; (left = next - System.nanoTime()) > 0; ) {
            LockSupport.parkNanos(left);
        }
        next += periodNanos;
    }
}
