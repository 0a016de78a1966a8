// SPDX-License-Identifier: Apache-2.0
package quicpool.core.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import quicpool.core.control.RefillController;

/** The harness itself: hand-checked replays, conservation of streams, determinism. */
@Timeout(60)
class PoolSimulationTest {
    private static final long MS = 1_000_000L;
    private static final PoolSimulation.Bounds ANY = new PoolSimulation.Bounds(2, 2, Duration.ofSeconds(1),
            Duration.ofSeconds(1));

    /** Holds 2 streams, refills every second; wakes the loop on every take if {@code wakes}. */
    private static RefillController fixed(boolean wakes) {
        return new RefillController() {
            @Override
            public int capacity() {
                return 2;
            }

            @Override
            public Duration interval() {
                return Duration.ofSeconds(1);
            }

            @Override
            public void beforeRefill(int idle) {
            }

            @Override
            public void afterRefill(int created) {
            }

            @Override
            public boolean onTake(int idleAfter) {
                return wakes;
            }
        };
    }

    private static DemandTrace trace(long durationMs, long... takesMs) {
        long[] takes = new long[takesMs.length];
        for (int i = 0; i < takes.length; i++) {
            takes[i] = takesMs[i] * MS;
        }
        return new DemandTrace("hand", durationMs * MS, takes, -1);
    }

    @Test
    void aTakeThatFindsThePoolEmptyWaitsForTheNextCycleOfAnIntervalLoop() {
        // cycle at 0 s registers 2 at 0.1 s; takes at 0.5 and 0.6 s are served, 0.7 s waits for
        // the next cycle (0.1 s + 1 s interval), whose streams register at 1.2 s
        SimResult r = PoolSimulation.run(trace(1500, 500, 600, 700), Duration.ofMillis(100), ANY, "fixed",
                (b, clock) -> fixed(false));

        assertThat(r.misses()).isEqualTo(1);
        assertThat(r.missTimesNanos()).containsExactly(700 * MS);
        assertThat(r.waitsNanos()).containsExactly(500 * MS);
        assertThat(r.meanWaitMillis()).isCloseTo(500.0 / 3, within(1e-9));
        assertThat(r.p99WaitMillis()).isEqualTo(500.0);
        // 2 idle over 0.1..0.5 s, 1 over 0.5..0.6 s, none until 1.2 s, 1 until the end at 1.5 s
        assertThat(r.idleStreamSeconds()).isCloseTo(0.8 + 0.1 + 0.3, within(1e-9));
        assertThat(r.opened()).isEqualTo(4);
        assertThat(r.idleAtEnd()).isEqualTo(1);
        assertThat(r.cycles()).isEqualTo(2);
    }

    @Test
    void aTakeThatAsksForAWakeStartsACycleAtOnceOrRightAfterTheOneInFlight() {
        // 0.5 s: take, wake, cycle 0.5..0.6 s opens 1; 0.55 s: take asks again (cycle in flight);
        // 0.56 s: nothing idle, waits; 0.6 s: the stream goes to the waiter, the next cycle starts
        // at once and opens 2, idle from 0.7 s
        SimResult r = PoolSimulation.run(trace(1000, 500, 550, 560), Duration.ofMillis(100), ANY, "waking",
                (b, clock) -> fixed(true));

        assertThat(r.waitsNanos()).containsExactly(40 * MS);
        assertThat(r.capacityTimes()).containsExactly(0L, 500 * MS, 600 * MS);
        assertThat(r.idleStreamSeconds()).isCloseTo(0.8 + 0.05 + 0.6, within(1e-9));
        assertThat(r.opened()).isEqualTo(5);
    }

    @Test
    void everyStreamOpenedIsTakenTrimmedOrStillIdleAndReplaysAreIdentical() {
        for (DemandTrace t : DemandTrace.all()) {
            SimResult a = Replays.adaptive(t, Duration.ofMillis(2));
            assertThat(a.opened()).as("%s", a).isEqualTo(a.takes() + a.idleAtEnd());
            assertThat(a.takes()).isEqualTo(t.takes().length);

            SimResult again = Replays.adaptive(t, Duration.ofMillis(2));
            assertThat(again.toString()).isEqualTo(a.toString());
            assertThat(again.waitsNanos()).isEqualTo(a.waitsNanos());
        }
    }
}
