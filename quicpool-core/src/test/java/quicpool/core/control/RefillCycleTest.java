// SPDX-License-Identifier: Apache-2.0
package quicpool.core.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the refill loop asks its controller, in which order, and what the controller learns. */
@Timeout(10)
class RefillCycleTest {
    private long now;
    private final List<String> calls = new ArrayList<>();
    private final RefillController recorder = new RefillController() {
        @Override
        public int capacity() {
            return 10;
        }

        @Override
        public Duration interval() {
            return Duration.ofSeconds(1);
        }

        @Override
        public void beforeRefill(int idle) {
            calls.add("before " + idle);
        }

        @Override
        public void afterRefill(int created) {
            calls.add("after " + created);
        }

        @Override
        public void afterRefill(int created, long refillNanos) {
            calls.add("after " + created + " in " + refillNanos);
        }
    };

    @Test
    void aCycleTellsTheControllerTheIdleCountThenHowManyItMadeAndHowLongOpeningThemTook() {
        RefillCycle cycle = new RefillCycle(recorder, () -> now);
        now = 1_000;
        cycle.begin(3);
        now = 21_000; // shards reconnected
        assertThat(cycle.need(3)).isEqualTo(7);
        now = 71_000;
        cycle.end(7);
        assertThat(calls).containsExactly("before 3", "after 7 in 50000");
    }

    @Test
    void needIsNeverNegative() {
        RefillCycle cycle = new RefillCycle(recorder, () -> now);
        assertThat(cycle.need(15)).isZero();
    }

    @Test
    void theClassicControllerIgnoresTheDuration() {
        ClassicController classic = new ClassicController(5, 8, Duration.ofMillis(300), Duration.ofMillis(600));
        RefillCycle cycle = new RefillCycle(classic, () -> now);
        cycle.begin(0);
        cycle.need(0);
        now += 999_999_999L;
        cycle.end(5);
        assertThat(classic.capacity()).isEqualTo(6);
        assertThat(classic.onTake(0)).isFalse();
    }
}
