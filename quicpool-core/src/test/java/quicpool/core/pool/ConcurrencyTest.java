// SPDX-License-Identifier: Apache-2.0
package quicpool.core.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import quicpool.api.PoolTimeoutException;
import quicpool.api.StreamConn;
import quicpool.compliance.Conditions;

@Timeout(120)
class ConcurrencyTest {

    @Test
    void activeIsExactAfterEightThreadsPairWhileTheRefillLoopAdds() throws Exception {
        int pairs = 2000;
        ExecutorService exec = Executors.newFixedThreadPool(8);
        try (PoolPair p = PoolPair.started(32, 32)) {
            p.awaitFilled(8);
            AtomicInteger served = new AtomicInteger();
            Set<String> ids = java.util.concurrent.ConcurrentHashMap.newKeySet();
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                work.add(exec.submit(() -> {
                    while (served.get() < pairs) {
                        StreamConn s = p.server.incomingGet(Duration.ofSeconds(10));
                        StreamConn c = p.client.outgoingGet(s.id(), Duration.ofSeconds(10));
                        try (s; c) {
                            assertThat(ids.add(s.id())).as("ID handed out twice: " + s.id()).isTrue();
                            c.outputStream().write(1);
                            c.outputStream().flush();
                            assertThat(s.inputStream().read()).isEqualTo(1);
                        }
                        served.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get(90, TimeUnit.SECONDS);
            }
            // quiet now: the client refills to its capacity and stops; the server must hold exactly as many
            Conditions.await("both ends full and equal", Duration.ofSeconds(20),
                    () -> p.client.active() == p.client.capacity() && p.server.active() == p.client.active(),
                    () -> p.client.stats() + " " + p.server.stats());
            int claimed = p.server.active();
            Set<String> drained = new HashSet<>();
            while (true) {
                try {
                    drained.add(p.server.incomingGet(Duration.ZERO).id());
                } catch (PoolTimeoutException empty) {
                    break;
                }
            }
            assertThat(drained).hasSize(claimed);
            assertThat(p.server.active()).isZero();
            for (String id : drained) {
                p.client.outgoingGet(id, Duration.ofSeconds(1)).close();
            }
        } finally {
            exec.shutdownNow();
        }
    }
}
