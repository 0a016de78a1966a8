// SPDX-License-Identifier: Apache-2.0
package quicpool.compliance;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a condition with a bound, re-checking every millisecond, or watches one stay true for
 * a while; fails saying what was awaited.
 */
public final class Conditions {
    private Conditions() {
    }

    /** @throws AssertionError naming {@code what} when the bound passes first */
    public static void await(String what, Duration bound, BooleanSupplier condition) {
        await(what, bound, condition, () -> "");
    }

    /**
     * @throws AssertionError naming {@code what} and the {@code state} when the bound passes first
     */
    public static void await(String what, Duration bound, BooleanSupplier condition, Supplier<Object> state) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + bound + ": " + what + "; " + state.get());
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    /**
     * Checks every 10 ms, for the whole of {@code period}, that {@code condition} holds: for what
     * must <em>not</em> happen within a time (a connection ending while idle).
     *
     * @throws AssertionError naming {@code what}, when it stopped holding, and the {@code state}
     */
    public static void holdsFor(String what, Duration period, BooleanSupplier condition, Supplier<Object> state) {
        long start = System.nanoTime();
        long end = start + period.toNanos();
        do {
            if (!condition.getAsBoolean()) {
                throw new AssertionError("stopped holding after " + (System.nanoTime() - start) / 1_000_000
                        + " ms of " + period + ": " + what + "; " + state.get());
            }
            LockSupport.parkNanos(10_000_000);
        } while (System.nanoTime() - end < 0);
    }
}
