// SPDX-License-Identifier: Apache-2.0
package quicpool.core.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import quicpool.api.RefillPolicy;
import quicpool.api.StreamConn;
import quicpool.compliance.Conditions;

/** The adaptive controller driving a real client pool over the in-memory transport. */
@Timeout(60)
class AdaptiveRefillTest {

    private static void pair(PoolPair p) throws Exception {
        StreamConn s = p.server.incomingGet(Duration.ofSeconds(10));
        StreamConn c = p.client.outgoingGet(s.id(), Duration.ofSeconds(10));
        s.close();
        c.close();
    }

    @Test
    void aTakenStreamIsReplacedAtOnceNotAtTheNextInterval() throws Exception {
        try (PoolPair p = new PoolPair(s -> s.maxCapacity(64),
                c -> c.capacity(4, 64).refillInterval(Duration.ofSeconds(20), Duration.ofSeconds(30)))) {
            p.client.start();
            p.awaitFilled(4);
            for (int i = 0; i < 8; i++) {
                pair(p);
                // the refill loop now sleeps for at least 20 s; only the take's wake can refill
                Conditions.await("client refilled to its target after take " + i, Duration.ofSeconds(5),
                        () -> p.client.active() >= p.client.capacity(), p.client::stats);
            }
            assertThat(p.client.stats().opened()).isGreaterThanOrEqualTo(4 + 8);
        }
    }

    @Test
    void underAClosedLoopOfGetsTheTargetRampsFromFourToAHundredInSeconds() throws Exception {
        ExecutorService exec = Executors.newFixedThreadPool(4);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger served = new AtomicInteger();
        try (PoolPair p = new PoolPair(s -> s.maxCapacity(256), c -> c.capacity(4, 256)
                .refillInterval(Duration.ofMillis(100), Duration.ofSeconds(1)).refillPolicy(RefillPolicy.ADAPTIVE))) {
            p.transport.streamOpenLatency(Duration.ofMillis(1));
            p.client.start();
            p.awaitFilled(4);
            assertThat(p.client.capacity()).isEqualTo(4);
            List<Future<?>> load = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                load.add(exec.submit(() -> {
                    while (!stop.get()) {
                        pair(p);
                        served.incrementAndGet();
                    }
                    return null;
                }));
            }
            // classic would add one stream per interval: 96 intervals, 9.6 s at the 100 ms minimum
            Conditions.await("target of 100 under load", Duration.ofSeconds(5), () -> p.client.capacity() >= 100,
                    () -> p.client.stats() + ", pairs served " + served.get());
            stop.set(true);
            for (Future<?> f : load) {
                f.get(20, TimeUnit.SECONDS);
            }
            assertThat(p.client.capacity()).isLessThanOrEqualTo(256);
        } finally {
            stop.set(true);
            exec.shutdownNow();
        }
    }
}
