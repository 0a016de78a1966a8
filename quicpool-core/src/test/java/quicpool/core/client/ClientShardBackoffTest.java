// SPDX-License-Identifier: Apache-2.0
package quicpool.core.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A shard's redial back-off doubles up to 5 s and is spread at random, so shards do not redial in step. */
@Timeout(10)
class ClientShardBackoffTest {

    @Test
    void eachWaitLiesBetweenHalfAndAllOfTheDoublingCeiling() {
        long[] ceilings = {100, 200, 400, 800, 1600, 3200, 5000, 5000};
        for (int failures = 1; failures <= ceilings.length; failures++) {
            long ceiling = TimeUnit.MILLISECONDS.toNanos(ceilings[failures - 1]);
            for (int i = 0; i < 200; i++) {
                assertThat(ClientShard.backoffNanos(failures)).as("wait after %d failures", failures)
                        .isBetween(ceiling / 2, ceiling);
            }
        }
        assertThat(ClientShard.backoffNanos(Integer.MAX_VALUE)).isLessThanOrEqualTo(TimeUnit.SECONDS.toNanos(5));
    }

    @Test
    void sixtyFourShardsFailingTogetherRedialAtSpreadTimes() {
        long now = System.nanoTime();
        Set<Long> firstDialMillis = new HashSet<>();
        for (int i = 0; i < 64; i++) {
            ClientShard shard = new ClientShard(i);
            for (int f = 0; f < 5; f++) {
                shard.failed(now); // 5 failures in a row: waits of 0.8 to 1.6 s
            }
            long wait = 0;
            while (!shard.mayDial(now + wait)) {
                wait += TimeUnit.MILLISECONDS.toNanos(1);
            }
            firstDialMillis.add(TimeUnit.NANOSECONDS.toMillis(wait));
        }
        // 64 draws over 800 ms at millisecond grain: equal times for all would be a lockstep
        assertThat(firstDialMillis).as("distinct redial times (ms) of 64 shards").hasSizeGreaterThan(32);
    }
}
