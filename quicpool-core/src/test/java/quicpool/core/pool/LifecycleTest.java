// SPDX-License-Identifier: Apache-2.0
package quicpool.core.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import quicpool.api.PoolClosedException;
import quicpool.api.StreamConn;
import quicpool.compliance.Conditions;

/** flush, close, and what close leaves behind. */
@Timeout(60)
class LifecycleTest {
    private final ExecutorService exec = Executors.newCachedThreadPool();

    @AfterEach
    void stopExecutor() {
        exec.shutdownNow();
    }

    private static Set<String> poolThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("quicpool-client") || n.startsWith("quicpool-server"))
                .collect(Collectors.toSet());
    }

    @Test
    void closeWakesEveryWaitingGetWithTheClosedPoolException() throws Exception {
        // the client runs but cannot resolve its server: nothing arrives at either pool
        PoolPair p = new PoolPair(s -> s, c -> c.addressResolver(() -> {
            throw new IllegalStateException("no server in this test");
        }));
        p.client.start();
        List<CompletableFuture<StreamConn>> waiting = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String id = "0000000" + i;
            waiting.add(CompletableFuture.supplyAsync(() -> get(() -> p.server.incomingGet(Duration.ofSeconds(30))), exec));
            waiting.add(CompletableFuture.supplyAsync(() -> get(() -> p.client.outgoingGet(id, Duration.ofSeconds(30))), exec));
        }
        Conditions.await("waiters parked", Duration.ofSeconds(5), () -> waiting.stream().noneMatch(CompletableFuture::isDone));
        long t0 = System.nanoTime();
        p.close();
        for (CompletableFuture<StreamConn> f : waiting) {
            assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(PoolClosedException.class);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        assertThatThrownBy(() -> p.client.incomingGet(Duration.ZERO)).isInstanceOf(PoolClosedException.class);
        assertThatThrownBy(p.client::start).isInstanceOf(PoolClosedException.class);
        p.close(); // idempotent
    }

    @Test
    void flushDropsIdleStreamsWithoutDisturbingWaitersAndTheClientRefills() throws Exception {
        try (PoolPair p = PoolPair.started(6, 6)) {
            p.awaitFilled(6);
            p.client.flush();
            assertThat(p.client.active()).isZero();
            // the server evicts the ends the client abandoned (STOP_SENDING), so its slots free up
            Conditions.await("server evicted the flushed streams", Duration.ofSeconds(5),
                    () -> p.server.stats().evicted() >= 6, () -> p.server.stats());
            Conditions.await("refilled", Duration.ofSeconds(10), () -> p.client.active() == 6);
            CompletableFuture<StreamConn> waiter = CompletableFuture.supplyAsync(
                    () -> get(() -> p.client.outgoingGet("00000001", Duration.ofMillis(300))), exec);
            p.client.flush();
            assertThatThrownBy(() -> waiter.get(5, TimeUnit.SECONDS)).hasRootCauseInstanceOf(
                    quicpool.api.PoolTimeoutException.class);
        }
    }

    @Test
    void noPoolThreadIsAliveAfterClose() {
        Set<String> before = poolThreads();
        PoolPair p = PoolPair.started(200, 200);
        p.awaitFilled(200);
        assertThat(poolThreads()).isNotEmpty();
        p.close();
        Conditions.await("pool threads gone", Duration.ofSeconds(10), () -> poolThreads().equals(before), LifecycleTest::poolThreads);
        Conditions.await("connections gone", Duration.ofSeconds(10), () -> p.network.liveConnections() == 0);
    }

    @Test
    void handedOutStreamsAreTheCallersAndStayUsableAfterFlush() throws Exception {
        try (PoolPair p = PoolPair.started(2, 2)) {
            p.awaitFilled(2);
            StreamConn s = p.server.incomingGet(Duration.ofSeconds(5));
            StreamConn c = p.client.outgoingGet(s.id(), Duration.ofSeconds(5));
            p.client.flush();
            p.server.flush();
            try (s; c) {
                c.outputStream().write(42);
                c.outputStream().flush();
                assertThat(s.inputStream().read()).isEqualTo(42);
            }
        }
    }

    interface Get {
        StreamConn get() throws Exception;
    }

    static StreamConn get(Get g) {
        try {
            return g.get();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new java.util.concurrent.CompletionException(e);
        }
    }
}
