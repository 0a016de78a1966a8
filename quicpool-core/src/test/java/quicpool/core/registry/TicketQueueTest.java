// SPDX-License-Identifier: Apache-2.0
package quicpool.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The registry's arrival order: a bounded MPMC FIFO of non-negative longs. */
@Timeout(60)
class TicketQueueTest {
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() throws InterruptedException {
        threads.shutdownNow();
        assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void keepsArrivalOrderUntilFullThenRefusesAndAcceptsAgainOnceOneLeaves() {
        TicketQueue q = new TicketQueue(5); // rounded up to 8
        assertThat(q.isEmpty()).isTrue();
        assertThat(q.poll()).isEqualTo(TicketQueue.NONE);
        for (long lap = 0; lap < 3; lap++) { // wraps around the arrays
            for (long v = 0; v < 8; v++) {
                assertThat(q.offer(lap * 100 + v)).isTrue();
            }
            assertThat(q.offer(999)).as("full").isFalse();
            assertThat(q.isEmpty()).isFalse();
            assertThat(q.poll()).isEqualTo(lap * 100);
            assertThat(q.offer(lap * 100 + 8)).as("room for one").isTrue();
            for (long v = 1; v <= 8; v++) {
                assertThat(q.poll()).isEqualTo(lap * 100 + v);
            }
            assertThat(q.poll()).isEqualTo(TicketQueue.NONE);
            assertThat(q.isEmpty()).isTrue();
        }
        assertThat(q.offer(0)).isTrue();
        assertThat(q.offer(Long.MAX_VALUE)).isTrue();
        assertThat(q.poll()).isZero();
        assertThat(q.poll()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void refusesNegativeValuesAndImpossibleCapacitiesNamingThem() {
        TicketQueue q = new TicketQueue(1); // rounded up to 2
        assertThat(q.offer(5)).isTrue();
        assertThat(q.offer(6)).isTrue();
        assertThat(q.offer(7)).as("full with two").isFalse();
        assertThat(q.poll()).as("the first value, not overwritten").isEqualTo(5);
        assertThat(q.poll()).isEqualTo(6);
        assertThat(q.poll()).isEqualTo(TicketQueue.NONE);
        assertThatThrownBy(() -> q.offer(-1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
        assertThatThrownBy(() -> new TicketQueue(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("asked for 0");
        assertThatThrownBy(() -> new TicketQueue((1 << 30) + 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("asked for " + ((1 << 30) + 1));
    }

    /**
     * Four producers and four consumers on a queue far smaller than what passes through it: every
     * value comes out exactly once, and each consumer sees each producer's values in the order
     * they went in.
     */
    @Test
    void underConcurrentProducersAndConsumersEveryValueComesOutOnceAndInOrderPerProducer() throws Exception {
        int producers = 4;
        int consumers = 4;
        int perProducer = 200_000;
        TicketQueue q = new TicketQueue(64);
        CyclicBarrier start = new CyclicBarrier(producers + consumers);
        AtomicLong consumed = new AtomicLong();
        long total = (long) producers * perProducer;
        byte[] seen = new byte[producers * perProducer];
        List<Future<?>> tasks = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            long base = (long) p << 32;
            tasks.add(threads.submit(() -> {
                start.await();
                for (int i = 0; i < perProducer; i++) {
                    while (!q.offer(base | i)) {
                        Thread.onSpinWait();
                    }
                }
                return null;
            }));
        }
        List<Future<List<String>>> results = new ArrayList<>();
        for (int c = 0; c < consumers; c++) {
            results.add(threads.submit(() -> {
                List<String> problems = new ArrayList<>();
                int[] last = new int[producers];
                java.util.Arrays.fill(last, -1);
                start.await();
                while (consumed.get() < total) {
                    long v = q.poll();
                    if (v == TicketQueue.NONE) {
                        Thread.onSpinWait();
                        continue;
                    }
                    consumed.incrementAndGet();
                    int producer = (int) (v >>> 32);
                    int i = (int) v;
                    if (i <= last[producer]) {
                        problems.add("producer " + producer + "'s value " + i + " after " + last[producer]);
                    }
                    last[producer] = i;
                    synchronized (seen) {
                        seen[producer * perProducer + i]++;
                    }
                }
                return problems;
            }));
        }
        for (Future<?> t : tasks) {
            t.get(50, TimeUnit.SECONDS);
        }
        List<String> problems = new ArrayList<>();
        for (Future<List<String>> r : results) {
            problems.addAll(r.get(50, TimeUnit.SECONDS));
        }
        assertThat(problems).isEmpty();
        assertThat(consumed.get()).isEqualTo(total);
        for (int k = 0; k < seen.length; k++) {
            if (seen[k] != 1) {
                throw new AssertionError("value " + k + " came out " + seen[k] + " times");
            }
        }
        assertThat(q.poll()).isEqualTo(TicketQueue.NONE);
    }
}
