// SPDX-License-Identifier: Apache-2.0
package quicpool.core.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import quicpool.compliance.Conditions;

/**
 * A pool's workers: a trickle of tasks reuses one idle thread instead of starting up to the
 * maximum, a burst runs on at most the maximum with the rest queued, and idle workers end.
 */
@Timeout(30)
class HandOffWorkersTest {

    private static final int MAX = 4;
    private final AtomicInteger started = new AtomicInteger();
    private final HandOffWorkers workers = new HandOffWorkers(MAX, Duration.ofMillis(300), r -> {
        started.incrementAndGet();
        Thread t = new Thread(r, "hand-off-test");
        t.setDaemon(true);
        return t;
    });

    @AfterEach
    void shutdown() {
        PoolThreads.shutdown(workers);
    }

    @Test
    void tasksOneAfterAnotherRunOnOneThread() throws Exception {
        Set<Thread> ran = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < 50; i++) {
            workers.submit(() -> ran.add(Thread.currentThread())).get(5, TimeUnit.SECONDS);
            Conditions.await("the worker waiting for the next task", Duration.ofSeconds(5),
                    () -> ((LinkedTransferQueue<Runnable>) workers.getQueue()).hasWaitingConsumer());
        }
        assertThat(ran).hasSize(1);
        assertThat(started).hasValue(1);
    }

    @Test
    void aBurstRunsOnAtMostTheMaximumAndTheRestWaitsForAWorker() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        List<Integer> order = new ArrayList<>();
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < MAX + 6; i++) {
            int n = i;
            done.add(workers.submit(() -> {
                peak.accumulateAndGet(running.incrementAndGet(), Math::max);
                if (n < MAX) {
                    release.await();
                } else {
                    synchronized (order) {
                        order.add(n);
                    }
                }
                running.decrementAndGet();
                return null;
            }));
        }
        Conditions.await("the first " + MAX + " running", Duration.ofSeconds(5), () -> workers.getActiveCount() == MAX);
        assertThat(workers.getQueue()).as("tasks waiting for a worker").hasSize(6);
        release.countDown();
        for (Future<?> f : done) {
            f.get(5, TimeUnit.SECONDS);
        }
        assertThat(peak.get()).isLessThanOrEqualTo(MAX);
        assertThat(started.get()).isEqualTo(MAX);
        synchronized (order) {
            assertThat(order).containsExactlyInAnyOrder(4, 5, 6, 7, 8, 9);
        }
    }

    @Test
    void idleWorkersEndAndShutdownRefusesNewTasks() throws Exception {
        workers.submit(() -> { }).get(5, TimeUnit.SECONDS);
        Conditions.await("the idle worker ended", Duration.ofSeconds(5), () -> workers.getPoolSize() == 0);
        workers.shutdown();
        assertThatThrownBy(() -> workers.execute(() -> { })).isInstanceOf(RejectedExecutionException.class);
    }
}
