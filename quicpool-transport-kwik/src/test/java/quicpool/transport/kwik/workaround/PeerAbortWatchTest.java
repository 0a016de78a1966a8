// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik.workaround;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The watch that tells a pool of a peer's STOP_SENDING on a stream nobody reads or writes. */
@Timeout(10)
class PeerAbortWatchTest {

    private static final Duration PERIOD = Duration.ofMillis(20);

    @Test
    void runsTheCallbackOnceAtTheFirstCheckAfterThePeerStopped() throws Exception {
        PeerAbortWatch watch = PeerAbortWatch.start(PERIOD);
        try {
            AtomicBoolean stopped = new AtomicBoolean();
            AtomicInteger checks = new AtomicInteger();
            AtomicInteger runs = new AtomicInteger();
            CountDownLatch checked = new CountDownLatch(3);
            CountDownLatch abandoned = new CountDownLatch(1);
            watch.watch(() -> {
                checks.incrementAndGet();
                checked.countDown();
                return stopped.get();
            }, () -> {
                runs.incrementAndGet();
                abandoned.countDown();
            });
            assertThat(checked.await(5, TimeUnit.SECONDS)).as("checked while the peer had not stopped").isTrue();
            assertThat(runs.get()).isZero();

            stopped.set(true);

            assertThat(abandoned.await(5, TimeUnit.SECONDS)).isTrue();
            int checksThen = checks.get();
            // a later stream's check proves further periods ran without checking or running the first again
            CountDownLatch later = new CountDownLatch(3);
            watch.watch(() -> {
                later.countDown();
                return false;
            }, () -> { });
            assertThat(later.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(runs.get()).isEqualTo(1);
            assertThat(checks.get()).isEqualTo(checksThen);
        } finally {
            watch.stop();
        }
    }

    @Test
    void anUnwatchedStreamIsNeitherCheckedNorReported() throws Exception {
        PeerAbortWatch watch = PeerAbortWatch.start(PERIOD);
        try {
            AtomicInteger checks = new AtomicInteger();
            Runnable unwatch = watch.watch(() -> {
                checks.incrementAndGet();
                return true;
            }, () -> {
                throw new AssertionError("reported after unwatch");
            });
            unwatch.run();
            unwatch.run(); // idempotent
            CountDownLatch later = new CountDownLatch(3);
            watch.watch(() -> {
                later.countDown();
                return false;
            }, () -> { });
            assertThat(later.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(checks.get()).isZero();
        } finally {
            watch.stop();
        }
    }

    @Test
    void aPeriodThatIsNotPositiveIsRefusedNamingIt() {
        assertThatThrownBy(() -> PeerAbortWatch.start(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be positive, was PT0S");
        assertThatThrownBy(() -> PeerAbortWatch.start(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was PT-1S");
    }
}
