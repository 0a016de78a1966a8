// SPDX-License-Identifier: Apache-2.0
package quicpool.core.sim;

import java.time.Duration;
import java.util.Arrays;

/**
 * What one replay measured.
 *
 * @param takes             takes in the trace, all served by the end of the replay
 * @param misses            takes that found no idle stream and waited
 * @param waitsNanos        the waits of the takes that waited
 * @param missTimesNanos    when each take that waited arrived, ascending
 * @param idleStreamSeconds the integral of idle streams over the trace: the cost of holding them
 * @param opened            streams the pool opened (churn)
 * @param idleAtEnd         idle streams left when the last take was served
 * @param cycles            refill cycles run
 * @param capacityTimes     when each cycle started (ns), paired with the target it then set
 */
record SimResult(String trace, String controller, Duration openLatency, long takes, long misses, long[] waitsNanos,
                 long[] missTimesNanos, double idleStreamSeconds, long opened, long idleAtEnd, long cycles,
                 long[] capacityTimes, long[] capacityValues) {

    SimResult {
        waitsNanos = waitsNanos.clone();
        Arrays.sort(waitsNanos);
    }

    /** The share of takes that found the pool empty. */
    double missRate() {
        return takes == 0 ? 0 : (double) misses / takes;
    }

    /** Mean wait over all takes, the ones served at once counting as zero. */
    double meanWaitMillis() {
        double sum = 0;
        for (long w : waitsNanos) {
            sum += w;
        }
        return takes == 0 ? 0 : sum / takes / 1e6;
    }

    /** The wait 99% of all takes stay within. */
    double p99WaitMillis() {
        return percentileMillis(0.99);
    }

    /** The {@code q} quantile of all takes' waits (served at once = zero), in milliseconds. */
    double percentileMillis(double q) {
        if (takes == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * takes) - 1; // index into all waits, zeros first
        long zeros = takes - waitsNanos.length;
        return rank < zeros ? 0 : waitsNanos[(int) (rank - zeros)] / 1e6;
    }

    /** Takes that arrived in {@code [fromNanos, toNanos)} and had to wait. */
    long missesBetween(long fromNanos, long toNanos) {
        return Arrays.stream(missTimesNanos).filter(t -> t >= fromNanos && t < toNanos).count();
    }

    /** When the first cycle in {@code [fromNanos, toNanos)} set a target of at least {@code n}, or -1. */
    long firstCapacityAtLeast(int n, long fromNanos, long toNanos) {
        for (int i = 0; i < capacityTimes.length && capacityTimes[i] < toNanos; i++) {
            if (capacityTimes[i] >= fromNanos && capacityValues[i] >= n) {
                return capacityTimes[i];
            }
        }
        return -1;
    }

    /** The target set by the last cycle that started at or before {@code nanos}. */
    long capacityAt(long nanos) {
        long c = 0;
        for (int i = 0; i < capacityTimes.length && capacityTimes[i] <= nanos; i++) {
            c = capacityValues[i];
        }
        return c;
    }

    /** The largest target any cycle set. */
    long peakCapacity() {
        return Arrays.stream(capacityValues).max().orElse(0);
    }

    /** The smallest target any cycle set. */
    long lowestCapacity() {
        return Arrays.stream(capacityValues).min().orElse(0);
    }

    @Override
    public String toString() {
        return String.format("%s / %s / %s: miss %.2f%%, mean %.3f ms, p99 %.3f ms, idle %.0f stream-s, opened %d,"
                        + " peak %d, cycles %d", trace, controller, openLatency, 100 * missRate(), meanWaitMillis(),
                p99WaitMillis(), idleStreamSeconds, opened, peakCapacity(), cycles);
    }
}
