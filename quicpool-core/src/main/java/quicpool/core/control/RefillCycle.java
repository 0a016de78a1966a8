// SPDX-License-Identifier: Apache-2.0
package quicpool.core.control;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The bookkeeping of one refill cycle, shared by the client pool's refill loop and the trace
 * simulator so both ask the controller the same questions in the same order: {@link #begin}
 * with the idle count, {@link #need} for how
 * many to open, {@link #end} with how many were made. The controller also learns how long the
 * opening took, from {@link #need} to {@link #end}: reconnecting shards, which happens between
 * {@link #begin} and {@link #need}, is not part of it. Used by one thread at a time.
 */
public final class RefillCycle {
    private final RefillController controller;
    private final LongSupplier nanoClock;
    private long startedNanos;

    /** @param nanoClock the time source for cycle durations, {@code System::nanoTime} in a pool */
    public RefillCycle(RefillController controller, LongSupplier nanoClock) {
        this.controller = Objects.requireNonNull(controller, "controller");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    /** A cycle starts with {@code idle} streams in the pool. */
    public void begin(int idle) {
        controller.beforeRefill(idle);
    }

    /**
     * How many streams the cycle should open with {@code idle} streams in the pool now; never
     * negative. The opening starts now.
     */
    public int need(int idle) {
        startedNanos = nanoClock.getAsLong();
        return Math.max(0, controller.capacity() - idle);
    }

    /** The cycle made {@code created} streams; the opening ends now. */
    public void end(int created) {
        controller.afterRefill(created, nanoClock.getAsLong() - startedNanos);
    }

    public RefillController controller() {
        return controller;
    }
}
