// SPDX-License-Identifier: Apache-2.0
package quicpool.core.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class DemandTraceTest {
    private static final long S = 1_000_000_000L;

    private static long count(DemandTrace t, double fromS, double toS) {
        return Arrays.stream(t.takes()).filter(x -> x >= fromS * S && x < toS * S).count();
    }

    @Test
    void tracesAreTheSameOnEveryRun() {
        for (DemandTrace t : DemandTrace.all()) {
            DemandTrace again = DemandTrace.all().stream().filter(x -> x.name().equals(t.name())).findFirst().orElseThrow();
            assertThat(again.takes()).isEqualTo(t.takes());
        }
    }

    @Test
    void takesFollowTheShapesRateWithinPoissonNoise() {
        DemandTrace step = DemandTrace.stepBurst();
        // within 4 standard deviations of the expected counts
        assertThat(count(step, 0, 20)).isBetween(200L - 57, 200L + 57);
        assertThat(count(step, 20, 40)).isBetween(10_000L - 400, 10_000L + 400);
        assertThat(count(step, 40, 60)).isBetween(200L - 57, 200L + 57);
        assertThat(step.burstNanos()).isEqualTo(20 * S);

        DemandTrace steady = DemandTrace.steady();
        assertThat(steady.takes()).hasSizeBetween(6000 - 310, 6000 + 310);

        DemandTrace saw = DemandTrace.sawtooth();
        // each tooth: mean rate (10 + 400) / 2 = 205/s over 10 s; the first second of a tooth is quiet
        assertThat(saw.takes()).hasSizeBetween(12_300 - 444, 12_300 + 444);
        assertThat(count(saw, 10, 11)).isLessThan(count(saw, 19, 20));

        DemandTrace day = DemandTrace.quietDay();
        assertThat(day.durationSeconds()).isEqualTo(86_400.0);
        assertThat(day.takes()).isSorted();
    }

    @Test
    void aShapeRejectsBackwardPiecesAndRatesThatAreNotPositive() {
        assertThatThrownBy(() -> new DemandTrace.Shape("x").constant(5, 4, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[5.0, 4.0)");
        assertThatThrownBy(() -> new DemandTrace.Shape("x").constant(0, 4, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("peak 0.0");
    }
}
