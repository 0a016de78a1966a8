// SPDX-License-Identifier: Apache-2.0
package quicpool.bench;

import java.time.Duration;
import quicpool.api.PoolStats;
import quicpool.core.pool.PoolBase;
import quicpool.core.registry.StreamRegistry;

/**
 * A pool with quicpool's public get path ({@link PoolBase#incomingGet} and {@link
 * PoolBase#outgoingGet}, final and shared by the client and server pools) and no transport: the
 * benchmark puts streams back through {@link #registry()} where a refill or an accept would.
 */
final class BenchPool extends PoolBase {
    BenchPool(int maxIdle) {
        super(maxIdle);
    }

    /** Where refills and accepts register their streams. */
    StreamRegistry registry() {
        return registry;
    }

    @Override
    protected void doStart() {
    }

    @Override
    protected void doClose() {
    }

    @Override
    public int capacity() {
        return Streams.POOL_SIZE;
    }

    @Override
    public Duration interval() {
        return Duration.ZERO;
    }

    @Override
    public int shardCount() {
        return 1;
    }

    @Override
    public boolean ready() {
        return !isClosed();
    }

    @Override
    public PoolStats stats() {
        return new PoolStats("bench", "none", 1, 1, registry.active(), Streams.POOL_SIZE, Duration.ZERO,
                registry.registeredCount(), registry.takenCount(), registry.evictedCount(), 0, 0, errorCount(),
                registry.inUse(), registry.waiters());
    }
}
