// SPDX-License-Identifier: Apache-2.0
package quicpool.api;

/**
 * How a get ended, as the pool reports it to its metrics recorder and in its {@code
 * quicpool.GetWaited} JFR events.
 */
public enum GetOutcome {
    /** The get returned a stream, or its future completed with one. */
    TAKEN,
    /** No stream came within the timeout: {@link PoolTimeoutException}. */
    TIMED_OUT,
    /** The pool was or got closed: {@link PoolClosedException}. */
    CLOSED,
    /** The thread of a blocking get was interrupted while it waited. */
    INTERRUPTED,
    /**
     * The future of an async get was {@link java.util.concurrent.CompletableFuture#cancel(boolean)
     * cancelled}, or completed exceptionally by its holder, before a stream came.
     */
    CANCELLED
}
