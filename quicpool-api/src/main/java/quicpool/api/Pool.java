// SPDX-License-Identifier: Apache-2.0
package quicpool.api;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A pool of pre-opened, handshaken QUIC streams, indexed by their 8-character hex ID.
 *
 * <p>Both ends of a tunnel hold a pool over the same set of streams: the server pool accepts the
 * streams the client pool opens, and each stream carries the same ID on both ends. One end takes
 * any ready stream with {@link #incomingGet(Duration)}, tells the other end its {@link
 * StreamConn#id() ID} over its own control channel, and the other end takes the matching stream
 * with {@link #outgoingGet(String, Duration)}. Both operations work on either role.
 *
 * <p>A stream taken from the pool belongs to the caller, who must {@link StreamConn#close() close}
 * it. The pool never hands out a stream of a connection that has ended: such streams are evicted
 * the moment the transport reports the end.
 *
 * <p>The method names {@code incomingGet} and {@code outgoingGet} are those of vistone/quic, the Go
 * library quicpool is a port of, kept so that NodePass users recognize them; they say nothing
 * about the direction of the stream's traffic: {@code incomingGet} takes any ready stream,
 * {@code outgoingGet} takes the stream with a given ID.
 *
 * <p>All methods are thread-safe. The getters ({@link #active()}, {@link #capacity()}, {@link
 * #interval()}, {@link #shardCount()}, {@link #ready()}, {@link #errorCount()}, {@link #stats()})
 * take no lock and never block: they read counters that the pool keeps up to date.
 */
public interface Pool extends AutoCloseable {

    /**
     * Starts the background work: the client's refill loop, or the server's listener. Calling it
     * again has no effect.
     *
     * @throws PoolClosedException if the pool was closed
     * @throws java.io.UncheckedIOException if the server cannot bind its listen address
     */
    void start();

    /**
     * Takes the stream with this ID, waiting up to {@code timeout} for it to arrive (the end that
     * took it with {@link #incomingGet(Duration)} passes the ID over its own channel). Returns the
     * moment the stream is registered; an ID already present costs no wait.
     *
     * @param id      the stream's ID, 8 lowercase or uppercase hex characters
     * @param timeout how long to wait at most; {@link Duration#ZERO} means do not wait
     * @return the stream, now owned by the caller
     * @throws IllegalArgumentException if {@code id} is not 8 hex characters or the timeout is negative
     * @throws NullPointerException     if an argument is null
     * @throws PoolTimeoutException     if no stream with that ID arrived within the timeout; its
     *                                  message gives the pool's state (see {@link PoolTimeoutException})
     * @throws PoolClosedException      if the pool is or gets closed while waiting
     * @throws IllegalStateException    at once, without waiting, if the pool was never {@link #start()
     *                                  started}
     * @throws InterruptedException     if the calling thread is interrupted while waiting
     */
    StreamConn outgoingGet(String id, Duration timeout) throws PoolTimeoutException, InterruptedException;

    /**
     * Takes any ready stream, waiting up to {@code timeout} for one. The stream's {@link
     * StreamConn#id() ID} is what the other end passes to {@link #outgoingGet(String, Duration)}
     * to take the same stream.
     *
     * @param timeout how long to wait at most; {@link Duration#ZERO} means do not wait
     * @return the stream, now owned by the caller
     * @throws IllegalArgumentException if the timeout is negative
     * @throws NullPointerException     if the timeout is null
     * @throws PoolTimeoutException     if no stream was ready within the timeout; its message gives
     *                                  the pool's state (see {@link PoolTimeoutException})
     * @throws PoolClosedException      if the pool is or gets closed while waiting
     * @throws IllegalStateException    at once, without waiting, if the pool was never {@link #start()
     *                                  started}
     * @throws InterruptedException     if the calling thread is interrupted while waiting
     */
    StreamConn incomingGet(Duration timeout) throws PoolTimeoutException, InterruptedException;

    /**
     * {@link #outgoingGet(String, Duration)} without blocking: returns at once a future that
     * completes with the stream of this ID when it arrives, or exceptionally with {@link
     * PoolTimeoutException} when the timeout passes first, or with {@link PoolClosedException}
     * if the pool is or gets closed. While it waits no thread is parked for it: the thread that
     * registers the stream completes it, and the pool's one timeout thread (started by the first
     * async get that waits, ended by {@link #close()}) times it out. A get whose future ends
     * otherwise ({@link CompletableFuture#cancel(boolean) cancelled}, timed out, or completed by
     * its holder) takes no stream: one that arrives for it, even at that very moment, stays in
     * the pool for the next get. Cancelling the future takes this get off the pool's waiters at
     * once.
     *
     * <p>Dependent actions added without an executor ({@code thenAccept}, {@code whenComplete},
     * ...) may run on the thread that completes the future, which can be one of the pool's own;
     * give blocking work an executor ({@code thenAcceptAsync(action, executor)}). When a stream
     * is ready at the call, the future returned is already complete.
     *
     * @param id      the stream's ID, 8 lowercase or uppercase hex characters
     * @param timeout how long to wait at most; {@link Duration#ZERO} means do not wait
     * @return the future stream, owned by the caller once the future completes with it
     * @throws IllegalArgumentException if {@code id} is not 8 hex characters or the timeout is negative
     * @throws NullPointerException     if an argument is null
     * @throws IllegalStateException    at once if the pool was never {@link #start() started}
     */
    CompletableFuture<StreamConn> outgoingGetAsync(String id, Duration timeout);

    /**
     * {@link #incomingGet(Duration)} without blocking: returns at once a future that completes
     * with any ready stream, or exceptionally with {@link PoolTimeoutException} when the timeout
     * passes first, or with {@link PoolClosedException} if the pool is or gets closed. Waiting
     * async gets are served oldest first, each with one stream. Otherwise as {@link
     * #outgoingGetAsync(String, Duration)}: no thread is parked while it waits, a cancelled or
     * timed-out get loses no stream, and dependent actions may run on a pool thread.
     *
     * @param timeout how long to wait at most; {@link Duration#ZERO} means do not wait
     * @return the future stream, owned by the caller once the future completes with it
     * @throws IllegalArgumentException if the timeout is negative
     * @throws NullPointerException     if the timeout is null
     * @throws IllegalStateException    at once if the pool was never {@link #start() started}
     */
    CompletableFuture<StreamConn> incomingGetAsync(Duration timeout);

    /**
     * The pool's name, as given to {@link PoolBuilder#name(String)}, else {@code client-N} or
     * {@code server-N}, numbered per role in the order the pools were built. It begins the names of
     * the pool's threads and names the pool in its log lines, metrics and JFR events.
     */
    String name();

    /**
     * The number of idle, ready streams in the pool: streams waiting to be taken, not streams in
     * use (a stream taken by a get is no longer counted). Exact once concurrent gets and arrivals
     * have returned.
     */
    int active();

    /**
     * Client: the current target number of idle streams, within the builder's {@code capacity(min,
     * max)}. Server: its {@code maxCapacity}, the most idle streams it keeps.
     */
    int capacity();

    /**
     * Client: the current refill interval, within the builder's {@code refillInterval(min, max)}.
     * Server: {@link Duration#ZERO}, since a server pool does not refill (its client does).
     */
    Duration interval();

    /** The number of shards: one QUIC connection each, 128 streams per shard. */
    int shardCount();

    /** True while the pool has at least one live QUIC connection. */
    boolean ready();

    /** Adds one to the application's error counter. */
    void addError();

    /** The application's error counter. */
    long errorCount();

    /** Sets the application's error counter back to zero. */
    void resetError();

    /**
     * Closes and forgets every idle stream. Streams already handed out are untouched; the client
     * refills on its next cycle.
     */
    void flush();

    /**
     * The pool's state and counters, read one after another without stopping the pool: while gets,
     * arrivals or evictions are under way the counts may disagree by the operations in flight (see
     * {@link PoolStats}).
     */
    PoolStats stats();

    /**
     * Closes the pool: wakes every waiting get with {@link PoolClosedException}, closes the idle
     * streams and the QUIC connections (application error code 0, reason "pool closed") and stops
     * every thread the pool started. Streams already handed out end with their connection.
     * Idempotent.
     */
    @Override
    void close();
}
