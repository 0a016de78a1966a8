// SPDX-License-Identifier: Apache-2.0
package quicpool.core.control;

import java.time.Duration;

/**
 * The original library's two controllers, step for step. Interval: fewer than 20% of capacity
 * idle shortens it by 100 ms, more than 80% lengthens it by 100 ms. Capacity: a refill that had
 * to create more than 80% of capacity raises it by one, less than 20% lowers it by one. Both stay
 * within their bounds.
 */
public final class ClassicController implements RefillController {
    private static final long STEP_NANOS = Duration.ofMillis(100).toNanos();

    private final int minCapacity;
    private final int maxCapacity;
    private final long minIntervalNanos;
    private final long maxIntervalNanos;
    private volatile int capacity;
    private volatile long intervalNanos;

    public ClassicController(int minCapacity, int maxCapacity, Duration minInterval, Duration maxInterval) {
        this.minCapacity = minCapacity;
        this.maxCapacity = maxCapacity;
        this.minIntervalNanos = minInterval.toNanos();
        this.maxIntervalNanos = maxInterval.toNanos();
        this.capacity = minCapacity;
        this.intervalNanos = minIntervalNanos;
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public Duration interval() {
        return Duration.ofNanos(intervalNanos);
    }

    @Override
    public void beforeRefill(int idle) {
        double ratio = (double) idle / capacity;
        if (ratio < 0.2) {
            intervalNanos = Math.max(minIntervalNanos, intervalNanos - STEP_NANOS);
        } else if (ratio > 0.8) {
            intervalNanos = Math.min(maxIntervalNanos, intervalNanos + STEP_NANOS);
        }
    }

    @Override
    public void afterRefill(int created) {
        double ratio = (double) created / capacity;
        if (ratio < 0.2) {
            capacity = Math.max(minCapacity, capacity - 1);
        } else if (ratio > 0.8) {
            capacity = Math.min(maxCapacity, capacity + 1);
        }
    }
}
