// SPDX-License-Identifier: Apache-2.0
package quicpool.api.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Each callback runs exactly once: at the first fire, or at once if added after it. */
@Timeout(10)
class OnceCallbacksTest {
    private static final System.Logger LOG = System.getLogger("quicpool.api.spi.OnceCallbacksTest");

    @Test
    void theFirstFireRunsTheCallbacksInOrderAndLaterOnesRunAtOnce() {
        OnceCallbacks callbacks = new OnceCallbacks(LOG, "test");
        List<String> ran = new CopyOnWriteArrayList<>();
        callbacks.add(() -> ran.add("a"));
        callbacks.add(() -> ran.add("b"));
        assertThat(ran).isEmpty();
        assertThat(callbacks.hasFired()).isFalse();

        assertThat(callbacks.fire()).isTrue();
        assertThat(ran).containsExactly("a", "b");
        assertThat(callbacks.fire()).isFalse();
        assertThat(ran).containsExactly("a", "b");

        callbacks.add(() -> ran.add("late"));
        assertThat(ran).containsExactly("a", "b", "late");
        assertThat(callbacks.hasFired()).isTrue();
    }

    @Test
    void aFailingCallbackDoesNotKeepTheOthersFromRunning() {
        OnceCallbacks callbacks = new OnceCallbacks(LOG, "test");
        AtomicInteger ran = new AtomicInteger();
        callbacks.add(() -> {
            throw new IllegalStateException("expected by the test: logged, not thrown");
        });
        callbacks.add(ran::incrementAndGet);
        assertThat(callbacks.fire()).isTrue();
        assertThat(ran).hasValue(1);
        assertThatThrownBy(() -> callbacks.add(null)).isInstanceOf(NullPointerException.class).hasMessage("callback");
    }

    @Test
    void fireWithAnExecutorHandsEachCallbackToIt() {
        OnceCallbacks callbacks = new OnceCallbacks(LOG, "test");
        List<Runnable> handed = new CopyOnWriteArrayList<>();
        AtomicInteger ran = new AtomicInteger();
        callbacks.add(ran::incrementAndGet);
        callbacks.add(ran::incrementAndGet);
        assertThat(callbacks.fire(handed::add)).isTrue();
        assertThat(handed).hasSize(2);
        assertThat(ran).hasValue(0);
        handed.forEach(Runnable::run);
        assertThat(ran).hasValue(2);
    }

    @Test
    void racingAddsAndFiresRunEveryCallbackExactlyOnce() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 200; round++) {
                OnceCallbacks callbacks = new OnceCallbacks(LOG, "test");
                AtomicInteger ran = new AtomicInteger();
                AtomicInteger fired = new AtomicInteger();
                CountDownLatch go = new CountDownLatch(1);
                List<Future<?>> tasks = new CopyOnWriteArrayList<>();
                for (int t = 0; t < 2; t++) {
                    tasks.add(threads.submit(() -> {
                        go.await();
                        for (int i = 0; i < 50; i++) {
                            callbacks.add(ran::incrementAndGet);
                        }
                        return null;
                    }));
                    tasks.add(threads.submit(() -> {
                        go.await();
                        if (callbacks.fire()) {
                            fired.incrementAndGet();
                        }
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> f : tasks) {
                    f.get(5, TimeUnit.SECONDS);
                }
                assertThat(fired).as("round %d", round).hasValue(1);
                assertThat(ran).as("round %d", round).hasValue(100);
            }
        } finally {
            threads.shutdownNow();
            assertThat(threads.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        }
    }
}
