// SPDX-License-Identifier: Apache-2.0
package quicpool.core.pool;

import java.time.Duration;
import quicpool.api.PoolStats;
import quicpool.core.registry.StreamRegistry;

/** A pool with the shared get paths and no transport: a test registers streams itself. */
final class RegistryPool extends PoolBase {
    RegistryPool(int maxIdle) {
        super(maxIdle, Duration.ZERO, "test", null, null);
    }

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
        return 0;
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
        return new PoolStats("test", "none", 1, 1, registry.active(), 0, Duration.ZERO, registry.registeredCount(),
                registry.takenCount(), registry.evictedCount(), 0, 0, errorCount(), registry.inUse(), registry.waiters());
    }
}
