// SPDX-License-Identifier: Apache-2.0
package quicpool.core.control;

import java.time.Duration;

/**
 * Decides a client pool's target capacity and refill interval from what the pool observes.
 * The refill loop calls it from one thread; {@link #onTake(int)} comes from any thread.
 */
public interface RefillController {

    /** The current target of idle streams, within the configured bounds. */
    int capacity();

    /** The current wait between refill cycles, within the configured bounds. */
    Duration interval();

    /** A refill cycle starts with this many idle streams. */
    void beforeRefill(int idle);

    /** A refill cycle opened {@code created} streams. */
    void afterRefill(int created);

    /**
     * A refill cycle opened {@code created} streams, which took {@code refillNanos}: from the
     * moment it decided how many to open (after reconnecting shards) until the last was
     * registered or failed. The default ignores the duration.
     */
    default void afterRefill(int created, long refillNanos) {
        afterRefill(created);
    }

    /**
     * A stream was taken, leaving {@code idleAfter} idle. Returns true when the refill loop should
     * run now rather than at the end of its interval. Called on the get path: must not block,
     * lock or allocate.
     */
    default boolean onTake(int idleAfter) {
        return false;
    }
}
