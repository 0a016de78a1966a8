// SPDX-License-Identifier: Apache-2.0
package quicpool.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link MachineLoad}'s wait and watch, and {@link ProcessPairs}'s property for them. */
@Timeout(30)
class MachineLoadTest {

    @Test
    void settleReturnsAtOnceBelowTheBoundAndGivesUpAfterItsWaitOtherwise() throws InterruptedException {
        assumeThat(MachineLoad.oneMinute()).as("a load average (/proc/loadavg) here").isPresent();

        long start = System.nanoTime();
        assertThat(MachineLoad.settle(10_000, Duration.ofSeconds(10))).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));

        start = System.nanoTime();
        assertThat(MachineLoad.settle(0, Duration.ofMillis(1500))).as("no load is below 0").isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void aWatchReportsTheLoadAtItsStartAndAPeakNoLowerThanThat() {
        assumeThat(MachineLoad.oneMinute()).as("a load average (/proc/loadavg) here").isPresent();
        try (MachineLoad load = MachineLoad.watch()) {
            assertThat(load.start()).isNotNegative();
            assertThat(load.peak()).isGreaterThanOrEqualTo(load.start());
        }
    }

    @Test
    void theSettlePropertyTakesAPositiveLoadAndNamesABadOne() {
        String before = System.getProperty("quicpool.bench.settle");
        try {
            System.clearProperty("quicpool.bench.settle");
            assertThat(ProcessPairs.settleLoad()).isEmpty();
            System.setProperty("quicpool.bench.settle", "0.3");
            assertThat(ProcessPairs.settleLoad()).hasValue(0.3);
            System.setProperty("quicpool.bench.settle", "-1");
            assertThatThrownBy(ProcessPairs::settleLoad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("quicpool.bench.settle").hasMessageContaining("-1");
            System.setProperty("quicpool.bench.settle", "idle");
            assertThatThrownBy(ProcessPairs::settleLoad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("idle");
        } finally {
            if (before == null) {
                System.clearProperty("quicpool.bench.settle");
            } else {
                System.setProperty("quicpool.bench.settle", before);
            }
        }
    }
}
