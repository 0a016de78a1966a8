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

    /** A timeout's task that records when it ran. */
    private static final class Run implements Runnable {
        final long scheduledAt = System.nanoTime();
        final CountDownLatch ran = new CountDownLatch(1);
        final AtomicLong ranAt = new AtomicLong();

        @Override
        public void run() {
            ranAt.set(System.nanoTime());
            ran.countDown();
        }

        /** Waits, within the bound, for the run; the milliseconds from scheduling to the run. */
        long millisToRun() throws InterruptedException {
            assertThat(ran.await(BOUND_SECONDS, TimeUnit.SECONDS)).as("the timeout ran").isTrue();
            return TimeUnit.NANOSECONDS.toMillis(ranAt.get() - scheduledAt);
        }
    }

    @Test
    void aTimeoutRunsOnceItsTimeHasCome() throws InterruptedException {
        LossTimer timer = new LossTimer();
        Run run = new Run();
        timer.schedule(run, 50, TimeUnit.MILLISECONDS);

        assertThat(run.millisToRun()).isGreaterThanOrEqualTo(50);
    }

    @Test
    void aTimeoutMovedLaterRunsAtItsNewTimeOnly() throws InterruptedException {
        LossTimer timer = new LossTimer();
        AtomicInteger first = new AtomicInteger();
        Run moved = new Run();
        ScheduledFuture<?> early = timer.schedule(() -> { first.incrementAndGet(); }, 20, TimeUnit.MILLISECONDS);
        // As Kwik moves it after a packet: cancel the pending timeout, schedule the next.
        assertThat(early.cancel(false)).isTrue();
        timer.schedule(moved, 300, TimeUnit.MILLISECONDS);

        assertThat(moved.millisToRun()).isGreaterThanOrEqualTo(300);
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
