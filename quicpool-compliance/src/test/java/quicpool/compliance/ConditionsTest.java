// SPDX-License-Identifier: Apache-2.0
package quicpool.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The waits end as soon as they can and fail naming what was awaited and the state. */
@Timeout(10)
class ConditionsTest {

    @Test
    void awaitReturnsOnceTheConditionHoldsAndFailsNamingWhatAndTheState() {
        AtomicInteger checks = new AtomicInteger();
        Conditions.await("the third check", Duration.ofSeconds(5), () -> checks.incrementAndGet() >= 3);
        assertThat(checks).hasValue(3);

        assertThatThrownBy(() -> Conditions.await("a pool that never fills", Duration.ofMillis(50), () -> false,
                () -> "0 idle streams"))
                .isInstanceOf(AssertionError.class)
                .hasMessage("not within PT0.05S: a pool that never fills; 0 idle streams");
    }

    @Test
    void holdsForWatchesTheWholePeriodAndFailsSayingWhenItStoppedHolding() {
        long start = System.nanoTime();
        Conditions.holdsFor("always", Duration.ofMillis(100), () -> true, () -> "");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(100));

        AtomicInteger checks = new AtomicInteger();
        assertThatThrownBy(() -> Conditions.holdsFor("the connection stays up", Duration.ofMillis(200),
                () -> checks.incrementAndGet() < 3, () -> "closed by the peer"))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("stopped holding after ")
                .hasMessageEndingWith(" ms of PT0.2S: the connection stays up; closed by the peer");
    }
}
