// SPDX-License-Identifier: Apache-2.0
package quicpool.core.control;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Sizes the pool from measured demand and measured refill time, so that a burst is served from
 * streams that are already open.
 *
 * <p>Each refill cycle samples two things. Demand: the rate of takes, as the larger of a fast
 * (250 ms) and a slow (5 s) exponentially weighted average, so the estimate rises within a few
 * hundred milliseconds of a burst and falls over several seconds after it. Refill time: how long
 * a cycle took to open its streams (reconnects excluded), averaged with its mean deviation as TCP
 * averages round trips. The pool must cover the demand of one refill horizon: a cycle may be in flight when a
 * take leaves the pool short, and the cycle that replaces the stream takes one more refill time,
 * so the horizon is two refill times (with two deviations each) plus 1 ms for the refill thread to
 * wake. The target is that demand times a headroom of 1.5, plus three standard deviations of a
 * Poisson count over the horizon; never below the minimum, never above the maximum.
 *
 * <p>The low-water mark is the target itself: a take that leaves fewer idle streams than the
 * target wakes the refill loop, which opens what was taken. A lower mark would batch more streams
 * per cycle but needs a larger target to cover the same horizon, that is more idle streams held
 * at all times. When a cycle finds the pool empty although streams were taken since the last
 * one, the pool ran dry and takes are waiting; the take rate then understates demand (takes are
 * served only as fast as streams arrive), so the target jumps to four times its value, a floor
 * that decays with a 1 s time constant while the rate estimate catches up.
 *
 * <p>Shrinking is slow: the slow average keeps the target up for seconds after a burst, so a dip
 * in demand does not churn streams. Idle streams above the target are not closed: they are used up
 * by later takes. (Closing an idle stream would race with the peer handing out its other end: a
 * server's {@code incomingGet} can take the very stream the client closes.) The interval is the time the current demand would take to drain the target,
 * within the configured bounds: the loop looks often while the pool is busy and rarely while it is
 * quiet; takes wake it anyway.
 *
 * <p>{@link #onTake(int)} runs on the get path: one {@link LongAdder} increment and one volatile
 * read. Everything else runs on the refill thread.
 */
public final class AdaptiveController implements RefillController {
    private static final double FAST_TAU_SECONDS = 0.25;
    private static final double SLOW_TAU_SECONDS = 5.0;
    private static final double FLOOR_TAU_SECONDS = 1.0;
    private static final double LATENCY_GAIN = 0.25;
    private static final double WAKE_SLACK_SECONDS = 0.001;
    private static final double HEADROOM = 1.5;
    private static final double POISSON_SIGMAS = 3.0;
    private static final double DRY_BOOST = 4.0;

    private final int minCapacity;
    private final int maxCapacity;
    private final long minIntervalNanos;
    private final long maxIntervalNanos;
    private final LongSupplier nanoClock;

    private final LongAdder takes = new LongAdder();
    private volatile int capacity;
    private volatile long intervalNanos;

    // refill thread only
    private long lastSampleNanos;
    private long lastTakes;
    private double fastRate;
    private double slowRate;
    private double floor;
    private double refillSeconds = -1;
    private double refillDeviation;

    /** A controller on {@link System#nanoTime()}. */
    public AdaptiveController(int minCapacity, int maxCapacity, Duration minInterval, Duration maxInterval) {
        this(minCapacity, maxCapacity, minInterval, maxInterval, System::nanoTime);
    }

    /**
     * @param nanoClock the time source for rates, {@code System::nanoTime} in a pool; a virtual
     *                  clock in a simulation
     * @throws IllegalArgumentException if {@code 1 <= minCapacity <= maxCapacity} or
     *                                  {@code 0 < minInterval <= maxInterval} does not hold
     */
    public AdaptiveController(int minCapacity, int maxCapacity, Duration minInterval, Duration maxInterval,
                              LongSupplier nanoClock) {
        if (minCapacity < 1 || maxCapacity < minCapacity) {
            throw new IllegalArgumentException("capacity bounds must satisfy 1 <= min <= max, were min=" + minCapacity
                    + ", max=" + maxCapacity);
        }
        Objects.requireNonNull(minInterval, "minInterval");
        Objects.requireNonNull(maxInterval, "maxInterval");
        if (minInterval.isNegative() || minInterval.isZero() || maxInterval.compareTo(minInterval) < 0) {
            throw new IllegalArgumentException("interval bounds must satisfy 0 < min <= max, were min=" + minInterval
                    + ", max=" + maxInterval);
        }
        this.minCapacity = minCapacity;
        this.maxCapacity = maxCapacity;
        this.minIntervalNanos = minInterval.toNanos();
        this.maxIntervalNanos = maxInterval.toNanos();
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.capacity = minCapacity;
        this.intervalNanos = minIntervalNanos;
        this.lastSampleNanos = nanoClock.getAsLong();
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public Duration interval() {
        return Duration.ofNanos(intervalNanos);
    }

    /** The estimated take rate, per second, as of the last cycle. */
    public double demandPerSecond() {
        return Math.max(fastRate, slowRate);
    }

    /** The averaged refill time as of the last cycle; zero before a cycle opened a stream. */
    public Duration refillTime() {
        return Duration.ofNanos(refillSeconds < 0 ? 0 : Math.round(refillSeconds * 1e9));
    }

    @Override
    public void beforeRefill(int idle) {
        long now = nanoClock.getAsLong();
        long total = takes.sum();
        long taken = total - lastTakes;
        double dt = (now - lastSampleNanos) / 1e9;
        if (dt > 0) {
            fastRate = average(fastRate, taken, dt, FAST_TAU_SECONDS);
            slowRate = average(slowRate, taken, dt, SLOW_TAU_SECONDS);
            floor *= Math.exp(-dt / FLOOR_TAU_SECONDS);
            lastSampleNanos = now;
            lastTakes = total;
        }
        if (idle == 0 && taken > 0) {
            floor = Math.max(floor, DRY_BOOST * capacity);
        }
        double rate = demandPerSecond();
        double refill = refillSeconds < 0 ? 0 : refillSeconds + 2 * refillDeviation;
        double expected = rate * (2 * refill + WAKE_SLACK_SECONDS);
        double target = Math.max(HEADROOM * expected + POISSON_SIGMAS * Math.sqrt(expected), floor);
        int cap = (int) Math.max(minCapacity, Math.min(maxCapacity, Math.ceil(target)));
        capacity = cap;
        intervalNanos = rate <= 0 ? maxIntervalNanos
                : (long) Math.max(minIntervalNanos, Math.min(maxIntervalNanos, cap / rate * 1e9));
    }

    /**
     * A time-weighted moving average of a rate: {@code n} events over {@code dt} seconds pull the
     * average toward {@code n / dt} by {@code 1 - exp(-dt / tau)}. Unbiased whatever the sampling
     * period, so cycles a fraction of a millisecond apart and cycles a second apart weigh right.
     */
    private static double average(double avg, long n, double dt, double tau) {
        return avg - Math.expm1(-dt / tau) * (n / dt - avg);
    }

    /** Without a duration the controller learns nothing about refill time. */
    @Override
    public void afterRefill(int created) {
    }

    @Override
    public void afterRefill(int created, long refillNanos) {
        if (created <= 0 || refillNanos < 0) {
            return;
        }
        double s = refillNanos / 1e9;
        if (refillSeconds < 0) {
            refillSeconds = s;
            refillDeviation = s / 2;
        } else {
            refillDeviation += LATENCY_GAIN * (Math.abs(s - refillSeconds) - refillDeviation);
            refillSeconds += LATENCY_GAIN * (s - refillSeconds);
        }
    }

    @Override
    public boolean onTake(int idleAfter) {
        takes.increment();
        return idleAfter < capacity;
    }
}
