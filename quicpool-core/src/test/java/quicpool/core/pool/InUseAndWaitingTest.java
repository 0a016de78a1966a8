// SPDX-License-Identifier: Apache-2.0
package quicpool.core.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import quicpool.api.StreamConn;
import quicpool.compliance.Conditions;
import quicpool.core.registry.Stubs;

/** PoolStats.inUse and PoolStats.waiting: what the metrics read for streams held and gets waiting. */
@Timeout(30)
class InUseAndWaitingTest {
    private final Stubs.Conn conn = new Stubs.Conn();
    private final DetachedPool pool = new DetachedPool("test", 64, 0);
    private final ExecutorService exec = Executors.newFixedThreadPool(1);

    InUseAndWaitingTest() {
        pool.start();
    }

    @AfterEach
    void close() {
        exec.shutdownNow();
        pool.close();
    }

    private void arrive(String id) {
        assertThat(pool.registry().register(Stubs.pooled(id, conn))).isTrue();
    }

    @Test
    void inUseCountsStreamsTakenAndNotYetClosedAndNeverTheEvictedOnes() throws Exception {
        arrive("0000000a");
        arrive("0000000b");
        arrive("0000000c");
        StreamConn any = pool.incomingGet(Duration.ZERO);
        StreamConn byId = pool.outgoingGet("0000000b", Duration.ZERO);
        assertThat(pool.stats().inUse()).isEqualTo(2);
        any.close();
        any.close(); // a second close counts nothing
        assertThat(pool.stats().inUse()).isEqualTo(1);
        pool.flush(); // closes the idle one, which was never in use
        assertThat(pool.stats().evicted()).isEqualTo(1);
        assertThat(pool.stats().inUse()).isEqualTo(1);
        byId.close();
        assertThat(pool.stats().inUse()).isZero();
        assertThat(pool.stats().taken()).isEqualTo(2);
    }

    @Test
    void waitingCountsBlockedAndAsyncGetsUntilEachEnds() throws Exception {
        CompletableFuture<StreamConn> asyncAny = pool.incomingGetAsync(Duration.ofSeconds(20));
        CompletableFuture<StreamConn> asyncById = pool.outgoingGetAsync("0000000f", Duration.ofSeconds(20));
        Future<StreamConn> blocked = exec.submit(() -> pool.incomingGet(Duration.ofSeconds(20)));
        Conditions.await("three gets waiting", Duration.ofSeconds(5), () -> pool.stats().waiting() == 3,
                pool::stats);
        asyncAny.cancel(false);
        assertThat(pool.stats().waiting()).isEqualTo(2);
        arrive("0000000f"); // goes to the get that asked for it by ID
        assertThat(asyncById.get(5, TimeUnit.SECONDS).id()).isEqualTo("0000000f");
        assertThat(pool.stats().waiting()).isEqualTo(1);
        arrive("00000001");
        assertThat(blocked.get(5, TimeUnit.SECONDS).id()).isEqualTo("00000001");
        Conditions.await("no get waiting", Duration.ofSeconds(5), () -> pool.stats().waiting() == 0, pool::stats);
        assertThat(pool.stats().inUse()).isEqualTo(2);
    }
}
