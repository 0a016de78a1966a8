// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik.workaround;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The loss-detection timer as Kwik's recovery uses it: one timeout at a time, moved by every
 * packet; a timeout runs once its latest time has come, never before, and never once cancelled.
 */
@Timeout(20)
class LossTimerTest {

    private static final long BOUND_SECONDS = 10;

    @Test
    void aTimeoutRunsOnceItsTimeHasCome() throws InterruptedException {
        LossTimer timer = new LossTimer();
        CountDownLatch ran = new CountDownLatch(1);
        AtomicLong ranAt = new AtomicLong();
        long start = System.nanoTime();
        timer.schedule(() -> {
            ranAt.set(System.nanoTime());
            ran.countDown();
        }, 50, TimeUnit.MILLISECONDS);

        assertThat(ran.await(BOUND_SECONDS, TimeUnit.SECONDS)).as("the timeout ran").isTrue();
        assertThat(ranAt.get() - start).as("ns before it ran").isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
    }

    @Test
    void aTimeoutMovedLaterRunsAtItsNewTimeOnly() throws InterruptedException {
        LossTimer timer = new LossTimer();
        AtomicInteger first = new AtomicInteger();
        CountDownLatch ran = new CountDownLatch(1);
        AtomicLong ranAt = new AtomicLong();
        long start = System.nanoTime();
        ScheduledFuture<?> early = timer.schedule(() -> { first.incrementAndGet(); }, 20, TimeUnit.MILLISECONDS);
        // As Kwik moves it after a packet: cancel the pending timeout, schedule the next.
        assertThat(early.cancel(false)).isTrue();
        timer.schedule(() -> {
            ranAt.set(System.nanoTime());
            ran.countDown();
        }, 300, TimeUnit.MILLISECONDS);

        assertThat(ran.await(BOUND_SECONDS, TimeUnit.SECONDS)).as("the moved timeout ran").isTrue();
        assertThat(ranAt.get() - start).as("ns before it ran").isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(300));
        assertThat(first).as("runs of the cancelled timeout").hasValue(0);
        assertThat(early.isCancelled()).isTrue();
        assertThat(early.isDone()).isTrue();
    }

    @Test
    void aTimeoutMovedEarlierRunsAtItsNewTime() throws InterruptedException {
        LossTimer timer = new LossTimer();
        CountDownLatch ran = new CountDownLatch(1);
        timer.schedule(() -> { }, 1, TimeUnit.HOURS);
        ScheduledFuture<?> soon = timer.schedule(ran::countDown, 30, TimeUnit.MILLISECONDS);

        assertThat(ran.await(BOUND_SECONDS, TimeUnit.SECONDS)).as("the timeout moved earlier ran").isTrue();
        assertThat(soon.isDone()).isTrue();
        assertThat(soon.isCancelled()).isFalse();
        timer.shutdown();
    }

    @Test
    void aCancelledTimeoutNeverRuns() throws InterruptedException {
        LossTimer timer = new LossTimer();
        AtomicInteger runs = new AtomicInteger();
        ScheduledFuture<?> cancelled = timer.schedule(() -> { runs.incrementAndGet(); }, 20, TimeUnit.MILLISECONDS);
        assertThat(cancelled.cancel(false)).isTrue();
        assertThat(cancelled.cancel(false)).as("a second cancel").isFalse();

        // Another connection's timer, later: the shared thread serves wake-ups in time order, so
        // once this one has run, the cancelled timeout's wake-up has come and gone.
        CountDownLatch later = new CountDownLatch(1);
        new LossTimer().schedule(later::countDown, 200, TimeUnit.MILLISECONDS);
        assertThat(later.await(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(runs).as("runs of the cancelled timeout").hasValue(0);
    }

    @Test
    void shutdownDropsThePendingTimeoutAndRefusesNewOnes() throws InterruptedException {
        LossTimer timer = new LossTimer();
        AtomicInteger runs = new AtomicInteger();
        Runnable pending = () -> { runs.incrementAndGet(); };
        timer.schedule(pending, 20, TimeUnit.MILLISECONDS);

        assertThat(timer.shutdownNow()).containsExactly(pending);
        assertThat(timer.isShutdown()).isTrue();
        assertThat(timer.isTerminated()).isTrue();
        assertThatThrownBy(() -> timer.schedule(() -> { }, 1, TimeUnit.MILLISECONDS))
                .isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("loss detection has stopped");

        CountDownLatch later = new CountDownLatch(1);
        new LossTimer().schedule(later::countDown, 200, TimeUnit.MILLISECONDS);
        assertThat(later.await(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(runs).as("runs of the timeout pending at shutdown").hasValue(0);
    }

    @Test
    void onlyWhatKwiksRecoveryUsesIsServed() {
        LossTimer timer = new LossTimer();
        assertThatThrownBy(() -> timer.execute(() -> { })).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> timer.scheduleAtFixedRate(() -> { }, 1, 1, TimeUnit.SECONDS))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
