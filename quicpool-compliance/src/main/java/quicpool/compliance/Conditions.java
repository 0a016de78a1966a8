// SPDX-License-Identifier: Apache-2.0
package quicpool.compliance;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Waits with Awaitility for a condition with a bound, or watches one stay true for a while, and
 * fails saying what was awaited and, where given, the state it ended in. Conditions are evaluated
 * on the calling thread.
 */
public final class Conditions {
    /** How often {@link #await} looks: often enough that a wait costs no visible latency. */
    private static final Duration AWAIT_POLL = Duration.ofMillis(1);
    /** How often {@link #holdsFor} looks. */
    private static final Duration HOLD_POLL = Duration.ofMillis(10);
    /** Beyond the period of {@link #holdsFor}: Awaitility needs a bound longer than the period. */
    private static final Duration HOLD_GRACE = Duration.ofMillis(500);

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
        try {
            onThisThread(what, AWAIT_POLL).atMost(bound).until(condition::getAsBoolean);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("not within " + bound + ": " + what + "; " + state.get(), e);
        }
    }

    /**
     * Returns at {@code dueNanos} ({@link System#nanoTime()} scale), or at once if that has passed:
     * pacing for a load that starts work on a schedule, not a wait for a condition, so a late
     * thread (a loaded machine) starts late instead of failing. Interruptible.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public static void paceUntil(long dueNanos) throws InterruptedException {
        for (long left; (left = dueNanos - System.nanoTime()) > 0; ) {
            java.util.concurrent.locks.LockSupport.parkNanos(left);
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while pacing");
            }
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
        AtomicLong brokeAfter = new AtomicLong(-1);
        ConditionTimeoutException timeout = null;
        try {
            onThisThread(what, HOLD_POLL).during(period).atMost(period.plus(HOLD_GRACE)).until(() -> {
                if (condition.getAsBoolean()) {
                    return true;
                }
                brokeAfter.compareAndSet(-1, System.nanoTime() - start);
                return false;
            });
        } catch (ConditionTimeoutException e) {
            timeout = e;
        }
        if (brokeAfter.get() >= 0) {
            throw new AssertionError("stopped holding after " + brokeAfter.get() / 1_000_000 + " ms of " + period
                    + ": " + what + "; " + state.get(), timeout);
        }
        if (timeout != null) {
            throw new AssertionError("could not watch for " + period + " within " + period.plus(HOLD_GRACE)
                    + " (the condition held whenever it was checked): " + what + "; " + state.get(), timeout);
        }
    }

    /**
     * Polls on the calling thread from the first instant, so no thread is started for a wait, and
     * leaves other threads' uncaught exceptions alone, as the waits did before Awaitility (its
     * default fails a wait on any thread's uncaught exception).
     */
    private static ConditionFactory onThisThread(String what, Duration poll) {
        return Awaitility.await(what).pollInSameThread().dontCatchUncaughtExceptions()
                .pollDelay(Duration.ZERO).pollInterval(poll);
    }
}
