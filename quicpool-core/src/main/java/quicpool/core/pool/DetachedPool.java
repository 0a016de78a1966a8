// SPDX-License-Identifier: Apache-2.0
package quicpool.core.pool;

import java.time.Duration;
import quicpool.api.PoolStats;
import quicpool.core.registry.StreamRegistry;

/**
 * A pool with the get paths both roles share ({@link PoolBase#incomingGet}, {@link
 * PoolBase#outgoingGet} and their async forms) and no transport: its owner registers streams
 * through {@link #registry()} where a refill or an accept would. For the engine's tests and the
 * JMH benchmarks, which measure the get path alone.
 */
public final class DetachedPool extends PoolBase {
    private final String role;
    private final int capacity;

    /**
     * @param role     the role its stats report, such as {@code "test"}
     * @param maxIdle  the most idle streams its registry holds
     * @param capacity the target its stats and {@link #capacity()} report
     */
    public DetachedPool(String role, int maxIdle, int capacity) {
        super(maxIdle, Duration.ZERO, role, null, null);
        this.role = role;
        this.capacity = capacity;
    }

    /** Where streams are registered, as a refill or an accept would. */
    public StreamRegistry registry() {
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
        return capacity;
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
        return new PoolStats(role, "none", 1, 1, registry.active(), capacity, Duration.ZERO,
                registry.registeredCount(), registry.takenCount(), registry.evictedCount(), 0, 0, errorCount(),
                registry.inUse(), registry.waiters(), 0);
    }
}
