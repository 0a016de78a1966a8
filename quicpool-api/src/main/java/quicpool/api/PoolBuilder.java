// SPDX-License-Identifier: Apache-2.0
package quicpool.api;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import quicpool.api.internal.Check;
import quicpool.api.spi.QuicTransport;

/**
 * What client and server builders share: QUIC keep-alive, the handshake bound, the choice of
 * transport, leak detection and the pool's threads. A setter called again replaces what it set
 * before. Setters throw {@link NullPointerException} for a null argument; a value out of range is
 * reported by {@code build()} with an {@link IllegalArgumentException} naming
 * the field, its value and the rule. Builders are not thread-safe; the pools they build are.
 *
 * @param <B> the concrete builder
 */
public abstract sealed class PoolBuilder<B extends PoolBuilder<B>> permits ClientPoolBuilder, ServerPoolBuilder {
    Duration keepAlive = Duration.ofSeconds(10);
    Duration handshakeTimeout;
    String transportName;
    QuicTransport transport;

    PoolBuilder(Duration handshakeTimeout) {
        this.handshakeTimeout = handshakeTimeout;
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /**
     * The QUIC keep-alive period; the connection's idle timeout is three times it. Default 10 s.
     *
     * @throws NullPointerException     if it is null
     * @throws IllegalArgumentException from {@code build()}, unless positive
     */
    public B keepAlive(Duration keepAlive) {
        this.keepAlive = Objects.requireNonNull(keepAlive, "keepAlive");
        return self();
    }

    /**
     * Bound on a stream's pool handshake: the client's wait for the 4 ID bytes (default 1 min, as
     * in vistone/quic, the Go library quicpool is a port of), the server's wait for the handshake
     * byte (default 10 s; vistone/quic waits forever). On a server it also bounds each connection's
     * QUIC and TLS handshake: one not done by then is closed and counted in {@link
     * PoolStats#failedConnections()}. Netty counts from the client's first packet, Kwik from the
     * server's answer to it; on Kwik a client that has sent Handshake packets but never its
     * Finished is not ended so, but by the idle timeout (3 x keep-alive).
     *
     * @throws NullPointerException     if it is null
     * @throws IllegalArgumentException from {@code build()}, unless positive
     */
    public B handshakeTimeout(Duration timeout) {
        this.handshakeTimeout = Objects.requireNonNull(timeout, "handshakeTimeout");
        return self();
    }

    /**
     * Uses the transport of this name ({@code "kwik"}, {@code "netty"}) found on the module path,
     * overriding the system property {@code quicpool.transport} and the priority order. Default:
     * the transport the system property names, else the available one of highest priority.
     * Replaces a {@link #transport(QuicTransport)} set before.
     *
     * @throws NullPointerException if it is null
     * @throws IllegalStateException from {@code build()} if no transport of this name is
     *                               installed or it cannot run here
     */
    public B transport(String name) {
        this.transportName = Objects.requireNonNull(name, "transport name");
        this.transport = null;
        return self();
    }

    /**
     * Uses this transport instance, bypassing discovery. Default: discovery, as in {@link
     * #transport(String)}. Replaces a {@link #transport(String)} set before.
     *
     * @throws NullPointerException  if it is null
     * @throws IllegalStateException from {@code build()} if the transport says it cannot run here
     */
    public B transport(QuicTransport transport) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.transportName = null;
        return self();
    }

    String name;

    /**
     * The pool's name: it begins the names of the pool's threads ({@code quicpool-NAME-refill-1},
     * {@code quicpool-NAME-worker-1}, ...), names the pool in its log lines and JFR events, is the
     * {@code pool} tag of its metrics, and is what {@link Pool#name()} returns. Default: the role and
     * a number counted per role in this JVM, {@code client-1}, {@code client-2}, {@code server-1},
     * ... in the order the pools are built. Two pools may be given the same name; their metrics
     * then share meters, so give each pool bound to one registry its own.
     *
     * @param name 1 to 64 characters, ASCII letters, digits, {@code '.'}, {@code '_'} or {@code '-'},
     *             starting with a letter or digit
     * @throws NullPointerException     if it is null
     * @throws IllegalArgumentException if it breaks that rule, naming the value
     */
    public B name(String name) {
        this.name = Check.poolName(name);
        return self();
    }

    PoolMetrics metrics;

    /**
     * Binds the pool's metrics when it is built and reports every get to them: {@link
     * PoolMetrics#bind(Pool)} runs once in {@code build()}, and the recorder it returns hears how
     * each get ended and how long it waited. For Micrometer, {@code new
     * quicpool.micrometer.QuicPoolMetrics(registry)} from the {@code quicpool-micrometer} module.
     * Default: none, and then a get pays one field read for metrics.
     *
     * @throws NullPointerException if it is null
     */
    public B metrics(PoolMetrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        return self();
    }

    void checkShared() {
        Check.positive("keepAlive", keepAlive);
        Check.positive("handshakeTimeout", handshakeTimeout);
        Check.notNegative("leakDetectionThreshold", leakDetectionThreshold);
    }

    Duration leakDetectionThreshold = Duration.ZERO;

    /**
     * Turns on leak detection: a stream taken from the pool and not {@link StreamConn#close()
     * closed} within this time is reported once, as a WARNING on the {@code System.Logger} named
     * {@code quicpool.core.leak}, naming the pool, the stream's ID and how long it has been held,
     * with the stack trace of the get that took it. Default {@link Duration#ZERO}: off. When on,
     * each get records its stack trace and schedules one check on a daemon thread of the pool
     * (named {@code quicpool-NAME-leak-1}, NAME the pool's {@link #name(String) name}, ended by {@code
     * close()}); closing the stream cancels its check. When off, all it costs a get is reading one
     * field. Meant for finding streams a program forgets to close; a threshold shorter than a
     * stream's normal use reports streams that are not leaked. A stream whose connection ended is
     * still reported until it is closed: closing it is still the caller's job.
     *
     * @param threshold how long a stream may be held before it is reported; zero turns detection off
     * @throws NullPointerException     if it is null
     * @throws IllegalArgumentException from {@code build()} if it is negative,
     *                                  naming the value
     */
    public B leakDetectionThreshold(Duration threshold) {
        this.leakDetectionThreshold = Objects.requireNonNull(threshold, "leakDetectionThreshold");
        return self();
    }

    ThreadFactory threadFactory;

    /**
     * Makes every thread the pool itself starts: the client's refill thread and its dial and fill
     * workers, the server's stream-handshake workers, and in each pool the async-get timeout
     * thread and the leak-detection thread. Give it {@code Thread.ofVirtual().factory()} (JDK 21+)
     * to run them on virtual threads, or a factory of your own to name them, set their daemon
     * status, priority or context class loader, or count them. The QUIC transport's own threads
     * (Kwik's, Netty's event loops, the in-memory test transport's) are not made by it: each
     * transport starts and ends its own.
     *
     * <p>Default: daemon platform threads named after the pool's {@link #name(String) name}:
     * {@code quicpool-NAME-refill-1}, {@code quicpool-NAME-worker-N}, {@code
     * quicpool-NAME-handshake-N}, {@code quicpool-NAME-async-timeout-1} and {@code
     * quicpool-NAME-leak-1}. Threads from a factory given here
     * have the names and daemon status it gives them; a non-daemon one keeps the JVM running until
     * {@link Pool#close()} ends it. Whatever made them, {@code close()} ends them all.
     *
     * <p>The pool calls the factory whenever it needs a thread: from {@code start()}, from its own
     * threads, from the transport's and from the threads calling gets, possibly at the same time,
     * so it must be thread-safe; worker threads idle for 10 s end and are made again when needed.
     * If it throws or returns null, the pool logs a WARNING on the {@code System.Logger} named
     * {@code quicpool.core} and goes without that thread: {@code start()} of a client pool throws a
     * {@link java.util.concurrent.RejectedExecutionException} (no refill thread), a dial or fill
     * waits for the next refill cycle, a new stream is refused by the server, an async get that
     * would wait completes exceptionally with that exception, and a taken stream may go without
     * its leak check.
     *
     * <p>There is no executor option: a factory already decides where and how the pool's work runs,
     * while the pool keeps what it relies on: it sizes its own executors (at most 64 workers, one
     * thread per timer), its refill and timer threads live as long as the pool and would hold a
     * shared executor's threads for good, and {@code close()} shuts its executors down without
     * touching the application's.
     *
     * @throws NullPointerException if it is null
     */
    public B threadFactory(ThreadFactory factory) {
        this.threadFactory = Objects.requireNonNull(factory, "threadFactory");
        return self();
    }
}
