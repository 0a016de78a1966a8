// SPDX-License-Identifier: Apache-2.0
package quicpool.api;

/**
 * Binds a pool's metrics when the pool is built, and receives how long its gets waited: set with
 * {@link PoolBuilder#metrics(PoolMetrics)}. The module {@code quicpool.micrometer} has one for
 * Micrometer ({@code quicpool.micrometer.QuicPoolMetrics}); an application can write its own.
 * Without one, a get pays a single field read for metrics.
 */
@FunctionalInterface
public interface PoolMetrics {

    /**
     * Called once by {@code build()}, on its thread, with the pool it just made, not yet started:
     * the place to register gauges that read the pool ({@link Pool#name()}, {@link Pool#stats()}).
     * If it throws, {@code build()} closes the pool and throws that exception.
     *
     * @param pool the new pool
     * @return where the pool's gets report; not null
     */
    Recorder bind(Pool pool);

    /**
     * Where a pool's gets report how they ended. Called from whichever thread ends a get (the
     * caller's, or for an async get the pool thread that delivers the stream, the timeout thread,
     * or the thread that cancels it), concurrently: it must be thread-safe, fast and must not block.
     */
    interface Recorder {

        /**
         * A get ended. Called once for each get that returns a stream or times out, and for each
         * get that waited and ended otherwise (the pool closed, its thread interrupted, its future
         * cancelled or completed exceptionally by its holder); a get refused at once (a bad
         * argument, a pool not started or already closed) is not reported, nor one whose future
         * its holder completed with a value.
         *
         * @param outcome     how it ended
         * @param waitedNanos how long it waited for a stream: 0 for a get that found one ready or
         *                    was given a zero timeout
         */
        void recordGet(GetOutcome outcome, long waitedNanos);

        /**
         * The pool is closing: called once by {@link Pool#close()}, after it has stopped its threads
         * and woken its waiting gets, for example to remove the pool's meters. A blocking get woken
         * by the close may still call {@link #recordGet} after this. An exception it throws
         * is logged as a WARNING on the {@code System.Logger} named {@code quicpool.core}. Default:
         * nothing.
         */
        default void close() {
        }
    }
}
