// SPDX-License-Identifier: Apache-2.0
package quicpool.core.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import quicpool.api.GetOutcome;
import quicpool.api.Pool;
import quicpool.api.PoolClosedException;
import quicpool.api.PoolMetrics;
import quicpool.api.PoolTimeoutException;
import quicpool.api.StreamConn;
import quicpool.compliance.Conditions;
import quicpool.core.registry.Stubs;

/** The builder's metrics option: bound once when the pool is made, told how every get ended and how long it waited. */
@Timeout(30)
class MetricsRecorderTest {
    private record Get(GetOutcome outcome, long waitedNanos) {
    }

    private final Queue<Get> gets = new ConcurrentLinkedQueue<>();
    private final AtomicInteger closes = new AtomicInteger();
    private final PoolMetrics.Recorder recorder = new PoolMetrics.Recorder() {
        @Override
        public void recordGet(GetOutcome outcome, long waitedNanos) {
            gets.add(new Get(outcome, waitedNanos));
        }

        @Override
        public void close() {
            closes.incrementAndGet();
        }
    };
    private final Stubs.Conn conn = new Stubs.Conn();
    private final DetachedPool pool = new DetachedPool("test", 64, 0);

    MetricsRecorderTest() {
        pool.bindMetrics(p -> recorder);
        pool.start();
    }

    @AfterEach
    void close() {
        pool.close();
    }

    private void arrive(String id) {
        assertThat(pool.registry().register(Stubs.pooled(id, conn))).isTrue();
    }

    @Test
    void aGetThatFindsItsStreamOrIsGivenNoTimeReportsNoWait() throws Exception {
        arrive("00000001");
        arrive("00000002");
        pool.incomingGet(Duration.ofSeconds(1)).close();
        pool.outgoingGetAsync("00000002", Duration.ofSeconds(1)).get(1, TimeUnit.SECONDS).close();
        assertThatThrownBy(() -> pool.outgoingGet("00000003", Duration.ZERO)).isInstanceOf(PoolTimeoutException.class);
        assertThat(pool.incomingGetAsync(Duration.ZERO)).isCompletedExceptionally();
        assertThat(gets).containsExactly(new Get(GetOutcome.TAKEN, 0), new Get(GetOutcome.TAKEN, 0),
                new Get(GetOutcome.TIMED_OUT, 0), new Get(GetOutcome.TIMED_OUT, 0));
    }

    @Test
    void aGetThatWaitedReportsHowLongAndHowItEnded() throws Exception {
        assertThatThrownBy(() -> pool.outgoingGet("0000000a", Duration.ofMillis(30))).isInstanceOf(PoolTimeoutException.class);
        CompletableFuture<StreamConn> delivered = pool.outgoingGetAsync("0000000b", Duration.ofSeconds(20));
        CompletableFuture<StreamConn> cancelled = pool.incomingGetAsync(Duration.ofSeconds(20));
        Conditions.await("two async gets waiting", Duration.ofSeconds(5), () -> pool.stats().waiting() == 2);
        cancelled.cancel(false);
        arrive("0000000b");
        delivered.get(5, TimeUnit.SECONDS).close();
        List<Get> reported = List.copyOf(gets);
        assertThat(reported).extracting(Get::outcome)
                .containsExactly(GetOutcome.TIMED_OUT, GetOutcome.CANCELLED, GetOutcome.TAKEN);
        assertThat(reported.get(0).waitedNanos()).isGreaterThanOrEqualTo(Duration.ofMillis(30).toNanos());
        assertThat(reported.get(2).waitedNanos()).isPositive();
    }

    @Test
    void closeWakesAWaitingGetAsClosedAndClosesTheRecorderOnce() throws Exception {
        CompletableFuture<StreamConn> waiting = pool.incomingGetAsync(Duration.ofSeconds(20));
        pool.close();
        pool.close();
        assertThat(waiting).isCompletedExceptionally();
        assertThat(gets).extracting(Get::outcome).containsExactly(GetOutcome.CLOSED);
        assertThat(closes).hasValue(1);
        assertThatThrownBy(() -> pool.incomingGet(Duration.ZERO)).isInstanceOf(PoolClosedException.class);
        assertThat(gets).as("a get refused at once is not reported").hasSize(1);
    }

    @Test
    void theBuilderBindsThePoolOnceBeforeBuildReturnsAndABindingThatThrowsClosesIt() {
        AtomicReference<Pool> bound = new AtomicReference<>();
        try (PoolPair p = new PoolPair(s -> s, c -> c.name("measured").metrics(pool -> {
            assertThat(bound.getAndSet(pool)).isNull();
            return recorder;
        }))) {
            assertThat(bound.get()).isSameAs(p.client);
            assertThat(bound.get().name()).isEqualTo("measured");
        }
        assertThat(closes).hasValue(1);
        AtomicReference<Pool> refused = new AtomicReference<>();
        assertThatThrownBy(() -> new PoolPair(s -> s.metrics(pool -> {
            refused.set(pool);
            throw new IllegalStateException("no registry here");
        }), c -> c)).isInstanceOf(IllegalStateException.class).hasMessage("no registry here");
        assertThatThrownBy(() -> refused.get().start()).isInstanceOf(PoolClosedException.class);
    }
}
