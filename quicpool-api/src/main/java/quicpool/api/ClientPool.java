// SPDX-License-Identifier: Apache-2.0
package quicpool.api;

/**
 * The dialing end: opens {@link #shardCount()} QUIC connections to the server and keeps
 * {@link #capacity()} handshaken streams ready on them, refilling every {@link #interval()}.
 *
 * <p>Created with {@link QuicPools#client()}. Thread-safe.
 */
public interface ClientPool extends Pool {

    /**
     * Why the pool last failed to connect: the resolver's exception, the dial's (with the
     * certificate check's reason when the server was refused), or the server closing a new
     * connection before it served a stream (with the server's reason, such as "unauthorized IP"), or
     * every stream handshake on a new connection failing (with the last one's reason: a server that
     * does not speak the pool protocol, or holds its max capacity).
     * Empty until a failure happens. The pool keeps retrying with back-off whatever it says.
     */
    java.util.Optional<Exception> lastConnectFailure();
}
