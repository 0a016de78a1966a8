// SPDX-License-Identifier: Apache-2.0
package quicpool.core.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The adaptive controller on a hand-driven clock: one refill every {@code step} with takes between. */
@Timeout(10)
class AdaptiveControllerTest {
    private static final long MS = 1_000_000L;

    private long now;
    private final AdaptiveController c =
            new AdaptiveController(5, 1000, Duration.ofMillis(100), Duration.ofSeconds(1), () -> now);

    /** Runs {@code seconds} of {@code rate} takes/s with refills every {@code stepMs} of {@code refillMs}. */
    private void drive(double seconds, int rate, long stepMs, long refillMs) {
        double owed = 0;
        for (long t = 0; t < seconds * 1000; t += stepMs) {
            c.beforeRefill(c.capacity());
            owed += rate * stepMs / 1000.0;
            for (; owed >= 1; owed--) {
                c.onTake(c.capacity() - 1);
            }
            c.afterRefill(1, refillMs * MS);
            now += stepMs * MS;
        }
    }

    @Test
    void startsAtMinimumCapacityAndMinimumInterval() {
        assertThat(c.capacity()).isEqualTo(5);
        assertThat(c.interval()).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void withoutDemandItHoldsTheMinimumAndLooksRarely() {
        drive(5, 0, 100, 50);
        assertThat(c.capacity()).isEqualTo(5);
        assertThat(c.interval()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void targetCoversTwoRefillTimesOfDemandWithHeadroom() {
        drive(30, 1000, 10, 50);
        // 1000/s x (2 x 50 ms + 1 ms) = 101 takes; x 1.5 + 3 sigma (30) = 182
        assertThat(c.demandPerSecond()).isBetween(990.0, 1010.0);
        assertThat(c.refillTime()).isEqualTo(Duration.ofMillis(50));
        assertThat(c.capacity()).isBetween(175, 190);
        assertThat(c.interval()).isBetween(Duration.ofMillis(175), Duration.ofMillis(190));
    }

    @Test
    void followsABurstWithinAFewHundredMillisecondsAndFallsBackOverSeconds() {
        drive(5, 10, 10, 50);
        assertThat(c.capacity()).isEqualTo(5);
        drive(0.5, 1000, 10, 50);
        assertThat(c.capacity()).as("half a second into the burst").isGreaterThan(150);
        drive(9.5, 1000, 10, 50);
        drive(1, 0, 10, 50);
        assertThat(c.capacity()).as("a second after the burst").isGreaterThan(100);
        drive(30, 0, 10, 50);
        assertThat(c.capacity()).as("thirty seconds after").isEqualTo(5);
    }

    @Test
    void neverLeavesItsBounds() {
        drive(2, 1_000_000, 10, 500);
        assertThat(c.capacity()).isEqualTo(1000);
        assertThat(c.interval()).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void aTakeBelowTargetAsksForARefillAtOnce() {
        assertThat(c.onTake(4)).isTrue();
        assertThat(c.onTake(0)).isTrue();
        assertThat(c.onTake(5)).isFalse();
        assertThat(c.onTake(9)).isFalse();
    }

    @Test
    void aPoolThatRanDryQuadruplesItsTargetAndTheBoostFadesOverSeconds() {
        drive(5, 0, 100, 1);
        c.onTake(0);
        now += MS;
        c.beforeRefill(0);
        assertThat(c.capacity()).isEqualTo(20);
        c.beforeRefill(0); // no take since: not dry again
        assertThat(c.capacity()).isEqualTo(20);
        now += 5_000 * MS;
        c.beforeRefill(5);
        assertThat(c.capacity()).isEqualTo(5);
    }

    @Test
    void aRefillWithoutADurationTeachesNothingAboutRefillTime() {
        c.afterRefill(5);
        c.afterRefill(0, 80 * MS);
        assertThat(c.refillTime()).isEqualTo(Duration.ZERO);
        c.afterRefill(3, 80 * MS);
        assertThat(c.refillTime()).isEqualTo(Duration.ofMillis(80));
    }

    @Test
    void rejectsBoundsThatCannotHold() {
        assertThatThrownBy(() -> new AdaptiveController(0, 5, Duration.ofMillis(1), Duration.ofMillis(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("min=0");
        assertThatThrownBy(() -> new AdaptiveController(6, 5, Duration.ofMillis(1), Duration.ofMillis(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max=5");
        assertThatThrownBy(() -> new AdaptiveController(1, 5, Duration.ZERO, Duration.ofMillis(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("min=PT0S");
        assertThatThrownBy(() -> new AdaptiveController(1, 5, Duration.ofMillis(3), Duration.ofMillis(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max=PT0.002S");
    }
}
