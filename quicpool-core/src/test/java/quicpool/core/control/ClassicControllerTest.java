// SPDX-License-Identifier: Apache-2.0
package quicpool.core.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The original's controllers, step for step (behaviour.md). */
@Timeout(10)
class ClassicControllerTest {
    private final ClassicController c = new ClassicController(5, 8, Duration.ofMillis(300), Duration.ofMillis(600));

    @Test
    void startsAtMinimumCapacityAndMinimumInterval() {
        assertThat(c.capacity()).isEqualTo(5);
        assertThat(c.interval()).isEqualTo(Duration.ofMillis(300));
    }

    @Test
    void intervalGrowsBy100msWhenMoreThan80PercentIdleAndStopsAtMax() {
        c.beforeRefill(5); // 100% idle
        assertThat(c.interval()).isEqualTo(Duration.ofMillis(400));
        c.beforeRefill(5);
        c.beforeRefill(5);
        assertThat(c.interval()).isEqualTo(Duration.ofMillis(600));
        c.beforeRefill(5);
        assertThat(c.interval()).isEqualTo(Duration.ofMillis(600));
    }

    @Test
    void intervalShrinksBy100msWhenLessThan20PercentIdleAndStopsAtMin() {
        c.beforeRefill(5);
        c.beforeRefill(5); // 500 ms
        c.beforeRefill(0);
        assertThat(c.interval()).isEqualTo(Duration.ofMillis(400));
        c.beforeRefill(0);
        c.beforeRefill(0);
        assertThat(c.interval()).isEqualTo(Duration.ofMillis(300));
    }

    @Test
    void intervalHoldsBetween20And80PercentIdle() {
        c.beforeRefill(1); // exactly 20%
        c.beforeRefill(4); // exactly 80%
        c.beforeRefill(2);
        assertThat(c.interval()).isEqualTo(Duration.ofMillis(300));
    }

    @Test
    void capacityGrowsByOneWhenARefillCreatedMoreThan80PercentAndStopsAtMax() {
        c.afterRefill(5);
        assertThat(c.capacity()).isEqualTo(6);
        c.afterRefill(6);
        c.afterRefill(7);
        c.afterRefill(8);
        assertThat(c.capacity()).isEqualTo(8);
    }

    @Test
    void capacityShrinksByOneWhenARefillCreatedLessThan20PercentAndStopsAtMin() {
        c.afterRefill(5);
        c.afterRefill(6); // 7
        c.afterRefill(0);
        assertThat(c.capacity()).isEqualTo(6);
        c.afterRefill(0);
        c.afterRefill(0);
        assertThat(c.capacity()).isEqualTo(5);
    }

    @Test
    void capacityHoldsBetween20And80PercentCreated() {
        c.afterRefill(1); // exactly 20% of 5
        c.afterRefill(4); // exactly 80%
        assertThat(c.capacity()).isEqualTo(5);
    }
}
