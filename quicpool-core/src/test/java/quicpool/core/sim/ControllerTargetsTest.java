// SPDX-License-Identifier: Apache-2.0
package quicpool.core.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The targets of the adaptive controller (issue 7), on the virtual clock: deterministic, a few
 * hundred milliseconds of real time.
 */
@Timeout(60)
class ControllerTargetsTest {
    private static final long SECOND = 1_000_000_000L;

    @ParameterizedTest(name = "open latency {0} us")
    @ValueSource(longs = {200, 2_000, 50_000})
    void onTheStepBurstAdaptiveMissesATenthOfClassicAtNoMoreThanOneAndAHalfTimesItsIdleStreams(long micros) {
        DemandTrace step = DemandTrace.stepBurst();
        Duration latency = Duration.ofNanos(micros * 1000);
        SimResult classic = Replays.classic(step, latency);
        SimResult adaptive = Replays.adaptive(step, latency);

        assertThat(classic.missRate()).as("the classic controller misses the burst: %s", classic).isGreaterThan(0.4);
        assertThat(adaptive.missRate()).as("%s%n vs %s", adaptive, classic).isLessThanOrEqualTo(classic.missRate() / 10);
        assertThat(adaptive.idleStreamSeconds()).as("%s%n vs %s", adaptive, classic)
                .isLessThanOrEqualTo(1.5 * classic.idleStreamSeconds());
    }

    @ParameterizedTest(name = "open latency {0} us")
    @ValueSource(longs = {200, 2_000, 50_000})
    void adaptiveCatchesUpWithTheStepBurstWithinTwoSeconds(long micros) {
        DemandTrace step = DemandTrace.stepBurst();
        SimResult adaptive = Replays.adaptive(step, Duration.ofNanos(micros * 1000));
        long burst = step.burstNanos();

        // from 2 s after the burst began to its end (18 s at 500/s: 9000 takes), at most one take
        // in a thousand waits: what is left is Poisson clustering, not a pool still ramping up
        assertThat(adaptive.missesBetween(burst + 2 * SECOND, burst + 20 * SECOND)).as("%s", adaptive)
                .isLessThanOrEqualTo(9);
    }

    @Test
    void aBurstThatNeedsMoreThan200StreamsGetsThemWithinTwoSecondsWhereClassicTakesMinutes() {
        // 2000 takes/s with 50 ms per refill: two refill times of demand are 200 streams, so the
        // target (1.5 x 200 + 3 sigma) is well above 200
        DemandTrace step = ControllerTraceReport.rampTrace(2000);
        Duration latency = Duration.ofMillis(50);
        SimResult adaptive = Replays.adaptive(step, latency);
        SimResult classic = Replays.classic(step, latency);
        long burst = step.burstNanos();

        long reached = adaptive.firstCapacityAtLeast(200, burst, burst + 20 * SECOND);
        assertThat(reached).as("%s", adaptive).isPositive();
        assertThat(Duration.ofNanos(reached - burst)).isLessThan(Duration.ofSeconds(2));
        assertThat(adaptive.missesBetween(burst + 2 * SECOND, burst + 20 * SECOND)).as("%s", adaptive).isZero();
        // one stream per interval: at the 100 ms minimum, 195 intervals are 19.5 s
        assertThat(classic.capacityAt(burst + 2 * SECOND)).as("%s", classic).isLessThan(30);
        assertThat(classic.firstCapacityAtLeast(200, burst, burst + 15 * SECOND)).as("%s", classic).isEqualTo(-1);
        assertThat(classic.missRate()).isGreaterThan(0.9);
    }

    @Test
    void onAQuietDayWithSpikesAdaptiveHoldsFewerIdleStreamsAndMissesFarLess() {
        DemandTrace day = DemandTrace.quietDay();
        for (Duration latency : Replays.LATENCIES) {
            SimResult classic = Replays.classic(day, latency);
            SimResult adaptive = Replays.adaptive(day, latency);
            assertThat(adaptive.missRate()).as("%s%n vs %s", adaptive, classic).isLessThan(classic.missRate() / 10);
            assertThat(adaptive.idleStreamSeconds()).as("%s%n vs %s", adaptive, classic)
                    .isLessThan(classic.idleStreamSeconds());
        }
    }
}
