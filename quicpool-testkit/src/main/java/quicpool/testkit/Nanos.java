// SPDX-License-Identifier: Apache-2.0
package quicpool.testkit;

import java.time.Duration;

/** Durations as nanoseconds for timed waits, saturating instead of overflowing. */
final class Nanos {
    private Nanos() {
    }

    static long of(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }
}
