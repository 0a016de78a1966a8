// SPDX-License-Identifier: Apache-2.0
package quicpool.core.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import quicpool.api.PoolStats;
import quicpool.compliance.Conditions;

/** What a server pool's getters return, as Pool's Javadoc says: it does not refill, so no interval. */
@Timeout(30)
class ServerGettersTest {

    @Test
    void capacityIsTheMaxCapacityIntervalIsZeroAndReadyFollowsTheConnections() throws Exception {
        try (PoolPair p = new PoolPair(s -> s.maxCapacity(300), c -> c.capacity(2, 2))) {
            assertThat(p.server.capacity()).isEqualTo(300);
            assertThat(p.server.interval()).isEqualTo(Duration.ZERO);
            assertThat(p.server.shardCount()).isEqualTo(3);
            assertThat(p.server.ready()).as("no client yet").isFalse();

            p.client.start();
            p.awaitFilled(2);
            assertThat(p.server.ready()).isTrue();
            PoolStats stats = p.server.stats();
            assertThat(stats.capacity()).isEqualTo(300);
            assertThat(stats.interval()).isEqualTo(Duration.ZERO);
            assertThat(stats.connections()).isEqualTo(1);

            p.client.close();
            Conditions.await("the server saw its only client leave", Duration.ofSeconds(10),
                    () -> !p.server.ready() && p.server.stats().connections() == 0, p.server::stats);
        }
    }
}
