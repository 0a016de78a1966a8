// SPDX-License-Identifier: Apache-2.0
package quicpool.core.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import quicpool.api.PoolClosedException;
import quicpool.api.PoolTimeoutException;
import quicpool.api.StreamConn;
import quicpool.compliance.Conditions;
import quicpool.core.id.StreamIds;
import quicpool.core.registry.StreamRegistry;
import quicpool.core.registry.Stubs;
import quicpool.core.stream.PooledStream;

/** incomingGetAsync and outgoingGetAsync: no parked thread, timeouts, cancels that lose no stream. */
@Timeout(60)
class AsyncGetTest {
    private final Stubs.Conn conn = new Stubs.Conn();
    private final DetachedPool pool = new DetachedPool("test", 16384, 0);
    private final StreamRegistry registry = pool.registry();
    private final ExecutorService exec = Executors.newFixedThreadPool(2);

    AsyncGetTest() {
        pool.start();
    }

    @AfterEach
    void close() {
        exec.shutdownNow();
        pool.close();
    }

    private PooledStream arrive(String id) {
        PooledStream s = Stubs.pooled(id, conn);
        assertThat(registry.register(s)).isTrue();
        return s;
    }

    private boolean timerThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.isAlive() && t.getName().equals("quicpool-" + pool.name() + "-async-timeout-1"));
    }

    @Test
    void completesWhenAStreamArrivesLaterAndAtOnceWhenOneIsReady() throws Exception {
        CompletableFuture<StreamConn> any = pool.incomingGetAsync(Duration.ofSeconds(30));
        CompletableFuture<StreamConn> byId = pool.outgoingGetAsync("0000000B", Duration.ofSeconds(30));
        assertThat(any).isNotDone();
        assertThat(byId).isNotDone();
        assertThat(registry.waiters()).isEqualTo(2);

        PooledStream a = arrive("0000000a");
        assertThat(any.get(5, TimeUnit.SECONDS)).isSameAs(a);
        assertThat(byId).isNotDone(); // another ID
        PooledStream b = arrive("0000000b");
        assertThat(byId.get(5, TimeUnit.SECONDS)).isSameAs(b);
        assertThat(registry.waiters()).isZero();
        assertThat(registry.active()).isZero();

        PooledStream c = arrive("0000000c");
        CompletableFuture<StreamConn> ready = pool.outgoingGetAsync("0000000c", Duration.ZERO);
        assertThat(ready).isCompletedWithValue(c);
        assertThat(registry.takenCount()).isEqualTo(3);
    }

    @Test
    void timesOutWithThePoolTimeoutExceptionAndLeavesNoWaiter() {
        CompletableFuture<StreamConn> any = pool.incomingGetAsync(Duration.ofMillis(100));
        CompletableFuture<StreamConn> byId = pool.outgoingGetAsync("00000001", Duration.ofMillis(100));
        assertThatThrownBy(() -> any.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(PoolTimeoutException.class)
                .hasMessageStartingWith("no stream became ready within PT0.1S (test pool " + pool.name() + " over none: 0 idle streams");
        assertThatThrownBy(() -> byId.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(PoolTimeoutException.class)
                .hasMessageStartingWith("stream 00000001 did not arrive within PT0.1S (");
        Conditions.await("no waiter left", Duration.ofSeconds(5), () -> registry.waiters() == 0);
        assertThat(pool.incomingGetAsync(Duration.ZERO)).isCompletedExceptionally();
        // the stream that comes after the timeout stays for the next get
        PooledStream s = arrive("00000001");
        assertThat(registry.active()).isEqualTo(1);
        assertThat(pool.incomingGetAsync(Duration.ZERO)).isCompletedWithValue(s);
    }

    @Test
    void aCancelledGetLeavesTheStreamThatArrivesLaterToTheNextGet() throws Exception {
        CompletableFuture<StreamConn> any = pool.incomingGetAsync(Duration.ofSeconds(30));
        CompletableFuture<StreamConn> byId = pool.outgoingGetAsync("000000aa", Duration.ofSeconds(30));
        assertThat(any.cancel(true)).isTrue();
        assertThat(byId.cancel(false)).isTrue();
        assertThat(registry.waiters()).isZero();
        PooledStream s = arrive("000000aa");
        assertThat(registry.active()).isEqualTo(1);
        assertThat(pool.outgoingGet("000000aa", Duration.ZERO)).isSameAs(s);
        assertThatThrownBy(any::join).isInstanceOf(CancellationException.class);
    }

    @Test
    void tenThousandConcurrentAsyncGetsCompleteWithoutAThreadEach() throws Exception {
        int n = 10_000;
        // half wait for any stream on this pool, half for their own IDs on another: a take of any
        // stream may take one whose ID another take awaits, so one pool serves one kind, as in a tunnel
        try (DetachedPool byIdPool = new DetachedPool("test", 16384, 0)) {
            byIdPool.start();
            StreamRegistry byIdRegistry = byIdPool.registry();
            int threadsBefore = Thread.activeCount();
            List<CompletableFuture<StreamConn>> futures = new ArrayList<>(n);
            List<String> ids = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String id = StreamIds.toText(i + 1);
                ids.add(id);
                futures.add(i % 2 == 0 ? pool.incomingGetAsync(Duration.ofSeconds(50))
                        : byIdPool.outgoingGetAsync(id, Duration.ofSeconds(50)));
            }
            assertThat(futures).noneMatch(CompletableFuture::isDone);
            assertThat(registry.waiters() + byIdRegistry.waiters()).isEqualTo(n);
            // each pool's one timeout thread, and no thread per get (a margin for threads the JVM may start)
            assertThat(Thread.activeCount() - threadsBefore).isLessThanOrEqualTo(10);
            List<Future<?>> feeders = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                int first = t;
                feeders.add(exec.submit(() -> {
                    for (int i = first; i < n; i += 2) {
                        PooledStream s = Stubs.pooled(ids.get(i), conn);
                        assertThat((i % 2 == 0 ? registry : byIdRegistry).register(s)).isTrue();
                    }
                }));
            }
            for (Future<?> f : feeders) {
                f.get(30, TimeUnit.SECONDS);
            }
            CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);
            Set<StreamConn> got = new HashSet<>();
            for (int i = 0; i < n; i++) {
                StreamConn s = futures.get(i).join();
                got.add(s);
                if (i % 2 == 1) {
                    assertThat(s.id()).isEqualTo(ids.get(i));
                }
            }
            assertThat(got).hasSize(n);
            assertThat(registry.active() + byIdRegistry.active()).isZero();
            assertThat(registry.waiters() + byIdRegistry.waiters()).isZero();
        }
    }

    @Test
    void cancelsAndTimeoutsRacingArrivalsNeverLoseAStream() throws Exception {
        int n = 4000;
        List<CompletableFuture<StreamConn>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) { // all wait: nothing has arrived yet
            Duration timeout = Duration.ofMillis(ThreadLocalRandom.current().nextInt(5, 100));
            futures.add(i % 3 == 2 ? pool.outgoingGetAsync(StreamIds.toText(i + 1), timeout) : pool.incomingGetAsync(timeout));
        }
        CountDownLatch go = new CountDownLatch(1);
        Future<?> feeder = exec.submit(() -> {
            go.await();
            for (int i = 0; i < n; i++) {
                arrive(StreamIds.toText(i + 1));
            }
            return null;
        });
        AtomicInteger cancelled = new AtomicInteger();
        Future<?> canceller = exec.submit(() -> {
            go.await();
            for (int i = 0; i < n; i += 4) {
                if (futures.get(i).cancel(false)) {
                    cancelled.incrementAndGet();
                }
            }
            return null;
        });
        go.countDown();
        canceller.get(30, TimeUnit.SECONDS);
        feeder.get(30, TimeUnit.SECONDS);
        for (CompletableFuture<StreamConn> f : futures) {
            try {
                f.get(10, TimeUnit.SECONDS);
            } catch (ExecutionException | CancellationException ended) {
                // timed out or cancelled: its stream, if one was taken for it, went back
            }
        }
        long delivered = futures.stream().filter(f -> !f.isCompletedExceptionally()).count();
        assertThat(delivered + registry.active()).as("streams handed out plus idle").isEqualTo(n);
        assertThat(registry.takenCount()).isEqualTo(delivered);
        assertThat(registry.registeredCount()).isEqualTo(n);
        Conditions.await("no waiter left", Duration.ofSeconds(5), () -> registry.waiters() == 0);
        assertThat(cancelled.get()).isPositive();
    }

    @Test
    void closeCompletesWaitingGetsWithTheClosedPoolExceptionAndEndsTheTimeoutThread() {
        CompletableFuture<StreamConn> any = pool.incomingGetAsync(Duration.ofSeconds(30));
        CompletableFuture<StreamConn> byId = pool.outgoingGetAsync("00000001", Duration.ofSeconds(30));
        assertThat(timerThreadAlive()).isTrue();
        pool.close();
        for (CompletableFuture<StreamConn> f : List.of(any, byId)) {
            assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(PoolClosedException.class);
        }
        assertThat(registry.waiters()).isZero();
        assertThat(pool.incomingGetAsync(Duration.ofSeconds(1))).isCompletedExceptionally();
        Conditions.await("the timeout thread ended", Duration.ofSeconds(10), () -> !timerThreadAlive());
    }

    @Test
    void aGetOnAPoolNeverStartedFailsAtOnce() {
        try (DetachedPool fresh = new DetachedPool("test", 4, 0)) {
            assertThatThrownBy(() -> fresh.incomingGetAsync(Duration.ofSeconds(1)))
                    .isExactlyInstanceOf(IllegalStateException.class).hasMessageContaining("call start()");
            assertThatThrownBy(() -> fresh.outgoingGetAsync("00000001", Duration.ofSeconds(1)))
                    .isExactlyInstanceOf(IllegalStateException.class).hasMessageContaining("call start()");
        }
    }

    @Test
    void pairsAStreamAsyncOverTheInMemoryTransport() throws Exception {
        try (PoolPair p = new PoolPair(s -> s.maxCapacity(2), c -> c.capacity(2, 2))) {
            CompletableFuture<StreamConn> server = p.server.incomingGetAsync(Duration.ofSeconds(20));
            assertThat(server).isNotDone();
            p.client.start();
            StreamConn s = server.get(20, TimeUnit.SECONDS);
            StreamConn c = p.client.outgoingGetAsync(s.id(), Duration.ofSeconds(20)).get(20, TimeUnit.SECONDS);
            try (s; c) {
                c.outputStream().write(7);
                c.outputStream().flush();
                assertThat(s.inputStream().read()).isEqualTo(7);
            }
        }
    }
}
