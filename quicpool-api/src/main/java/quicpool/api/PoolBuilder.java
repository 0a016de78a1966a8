// SPDX-License-Identifier: Apache-2.0
package quicpool.api;

import java.time.Duration;
import java.util.Objects;
import quicpool.api.internal.Check;
import quicpool.api.spi.QuicTransport;

/**
 * What client and server builders share: QUIC keep-alive, the handshake bound and the choice of
 * transport. A setter called again replaces what it set before. Setters throw {@link
 * NullPointerException} for a null argument; a value out of range is reported by {@code config()}
 * and {@code build()} with an {@link IllegalArgumentException} naming the field, its value and the
 * rule. Builders are not thread-safe; the pools they build are.
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
     * @throws IllegalArgumentException from {@code config()} and {@code build()}, unless positive
     */
    public B keepAlive(Duration keepAlive) {
        this.keepAlive = Objects.requireNonNull(keepAlive, "keepAlive");
        return self();
    }

    /**
     * Bound on a stream's pool handshake: the client's wait for the 4 ID bytes (default 1 min, as
     * in the original), the server's wait for the handshake byte (default 10 s; the original waited
     * forever). On a server over Netty it also bounds each connection's QUIC and TLS handshake,
     * from the client's first packet: one not done by then is closed and counted in {@link
     * PoolStats#failedConnections()} (Kwik's server offers no such bound: its idle timeout ends an
     * abandoned handshake).
     *
     * @throws NullPointerException     if it is null
     * @throws IllegalArgumentException from {@code config()} and {@code build()}, unless positive
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
     * (named {@code quicpool-client-leak-1} or {@code quicpool-server-leak-1}, ended by {@code
     * close()}); closing the stream cancels its check. When off, all it costs a get is reading one
     * field. Meant for finding streams a program forgets to close; a threshold shorter than a
     * stream's normal use reports streams that are not leaked. A stream whose connection ended is
     * still reported until it is closed: closing it is still the caller's job.
     *
     * @param threshold how long a stream may be held before it is reported; zero turns detection off
     * @throws NullPointerException     if it is null
     * @throws IllegalArgumentException from {@code config()} and {@code build()} if it is negative,
     *                                  naming the value
     */
    public B leakDetectionThreshold(Duration threshold) {
        this.leakDetectionThreshold = Objects.requireNonNull(threshold, "leakDetectionThreshold");
        return self();
    }
}
