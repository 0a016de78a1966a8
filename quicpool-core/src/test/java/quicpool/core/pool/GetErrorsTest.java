// SPDX-License-Identifier: Apache-2.0
package quicpool.core.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import quicpool.api.PoolClosedException;
import quicpool.api.PoolTimeoutException;
import quicpool.api.StreamConn;
import quicpool.compliance.Conditions;
import quicpool.testkit.InMemoryTransport;

/** What a failed get says: the pool's state on a timeout, start() on a pool never started. */
@Timeout(60)
class GetErrorsTest {
    private final ExecutorService exec = Executors.newCachedThreadPool();

    @AfterEach
    void stopExecutor() {
        exec.shutdownNow();
    }

    @Test
    void aTimedOutGetOnAClientThatCannotConnectNamesItsStateAndTheLastConnectFailure() {
        try (PoolPair p = new PoolPair(s -> s, c -> c.capacity(3, 8).addressResolver(() -> {
            throw new IllegalStateException("resolver says no");
        }))) {
            p.client.start();
            Conditions.await("a failed dial", Duration.ofSeconds(10), () -> p.client.lastConnectFailure().isPresent());
            assertThatThrownBy(() -> p.client.incomingGet(Duration.ofMillis(50)))
                    .isInstanceOf(PoolTimeoutException.class)
                    .hasMessageStartingWith("no stream became ready within PT0.05S (client pool " + p.client.name() + " over "
                            + InMemoryTransport.NAME + ": 0 idle streams, target capacity 3, 0 live connections, "
                            + "0 other gets waiting; last connect failure: ")
                    .hasMessageContaining("resolver says no")
                    .hasMessageEndingWith(")");
        }
    }

    @Test
    void aTimedOutGetByIdOnAFilledServerCountsIdleStreamsConnectionsAndOtherWaiters() throws Exception {
        try (PoolPair p = PoolPair.started(2, 2)) {
            p.awaitFilled(2);
            CompletableFuture<StreamConn> other = CompletableFuture.supplyAsync(
                    () -> LifecycleTest.get(() -> p.server.outgoingGet("0000beef", Duration.ofSeconds(30))), exec);
            PoolBase server = (PoolBase) p.server;
            Conditions.await("the other get waits", Duration.ofSeconds(5), () -> server.registry.waiters() == 1);
            assertThatThrownBy(() -> p.server.outgoingGet("0000DEAD", Duration.ofMillis(50)))
                    .isInstanceOf(PoolTimeoutException.class)
                    .hasMessage("stream 0000dead did not arrive within PT0.05S (server pool " + p.server.name() + " over "
                            + InMemoryTransport.NAME
                            + ": 2 idle streams, target capacity 2, 1 live connection, 1 other get waiting)");
            p.server.close();
            assertThatThrownBy(() -> other.get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(PoolClosedException.class);
        }
    }

    @Test
    void aGetOnAPoolNeverStartedFailsAtOnceSayingToCallStart() {
        try (PoolPair p = new PoolPair(s -> s, c -> c)) { // the client is not started
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> p.client.incomingGet(Duration.ofSeconds(30)))
                    .isExactlyInstanceOf(IllegalStateException.class).hasMessageContaining("call start()");
            assertThatThrownBy(() -> p.client.outgoingGet("00000001", Duration.ofSeconds(30)))
                    .isExactlyInstanceOf(IllegalStateException.class).hasMessageContaining("call start()");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
            // arguments are still checked first
            assertThatThrownBy(() -> p.client.incomingGet(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aGetOnAClosedPoolThrowsTheClosedPoolExceptionWhetherOrNotItWasStarted() {
        try (PoolPair p = new PoolPair(s -> s, c -> c)) {
            p.client.close(); // never started
            p.server.close(); // started
            for (var pool : java.util.List.of(p.client, p.server)) {
                assertThatThrownBy(() -> pool.incomingGet(Duration.ofSeconds(30))).isInstanceOf(PoolClosedException.class);
                assertThatThrownBy(() -> pool.outgoingGet("00000001", Duration.ofSeconds(30)))
                        .isInstanceOf(PoolClosedException.class);
            }
        }
    }
}
