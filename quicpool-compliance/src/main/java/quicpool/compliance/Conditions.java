package quicpool.compliance;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition with a bound, re-checking every millisecond; fails saying what was awaited. */
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
}
