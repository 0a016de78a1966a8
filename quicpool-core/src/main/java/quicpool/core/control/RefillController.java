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
     * A stream was taken, leaving {@code idleAfter} idle. Returns true when the refill loop should
     * run now rather than at the end of its interval.
     */
    default boolean onTake(int idleAfter) {
        return false;
    }
}
