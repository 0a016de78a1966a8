// SPDX-License-Identifier: Apache-2.0
package quicpool.core.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A connection's stream credit never exceeds the peer's limit and comes back stream by stream. */
@Timeout(10)
class StreamCreditTest {

    @Test
    void takesWhatTheLimitLeavesAndGetsItBackOneByOne() {
        StreamCredit credit = new StreamCredit(128);
        assertThat(credit.take(100)).isEqualTo(100);
        assertThat(credit.take(100)).isEqualTo(28);
        assertThat(credit.take(1)).isZero();
        assertThat(credit.open()).isEqualTo(128);

        credit.giveBack();
        assertThat(credit.open()).isEqualTo(127);
        assertThat(credit.take(5)).isEqualTo(1);
        credit.giveBack(128);
        assertThat(credit.open()).isZero();
        assertThat(credit.take(0)).isZero();
        assertThat(credit.take(-3)).isZero();
    }

    @Test
    void givingBackMoreThanWasTakenThrowsAndLeavesTheCount() {
        StreamCredit credit = new StreamCredit(4);
        credit.take(2);
        assertThatThrownBy(() -> credit.giveBack(3)).isInstanceOf(IllegalStateException.class)
                .hasMessage("gave back 3 stream credits, 2 were taken; expected at most that many");
        assertThat(credit.open()).isEqualTo(2);
        assertThatThrownBy(() -> new StreamCredit(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("stream limit must be at least 1, was 0");
    }

    @Test
    void concurrentTakersNeverOvershootTheLimit() throws Exception {
        StreamCredit credit = new StreamCredit(128);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch go = new CountDownLatch(1);
            AtomicInteger granted = new AtomicInteger();
            List<Future<?>> takers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                takers.add(threads.submit(() -> {
                    go.await();
                    for (int i = 0; i < 10_000; i++) {
                        int n = credit.take(3);
                        assertThat(credit.open()).isLessThanOrEqualTo(128);
                        granted.addAndGet(n);
                        if (n > 0 && i % 2 == 0) {
                            credit.giveBack(n);
                            granted.addAndGet(-n);
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : takers) {
                f.get(5, TimeUnit.SECONDS);
            }
            assertThat(credit.open()).isEqualTo(granted.get()).isEqualTo(128);
        } finally {
            threads.shutdownNow();
            assertThat(threads.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        }
    }
}
