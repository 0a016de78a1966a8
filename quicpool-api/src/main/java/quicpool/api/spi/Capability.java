// SPDX-License-Identifier: Apache-2.0
package quicpool.api.spi;

/**
 * An optional behaviour of a {@link QuicTransport}, claimed in {@link QuicTransport#capabilities()}.
 * The SPI methods behind these have defaults that do nothing, so only the claim tells a transport
 * that has the behaviour from one that lacks it; the compliance kit runs each capability's tests
 * on the transports that claim it, and reports the others as skipped.
 */
public enum Capability {
    /**
     * {@link TransportStream#onPeerAbort(Runnable)} runs its callbacks when the peer abandons the
     * stream, at least when the peer's {@code close()} ends a stream this end neither reads nor
     * writes: a server pool evicts an idle stream its client closed, and a client pool one its
     * server closed.
     */
    PEER_ABORT,

    /**
     * {@link TransportConnection#closeReason()} of a client connection the server closed holds the
     * reason phrase the server sent (such as {@code "unauthorized IP"}).
     */
    CLOSE_REASON,

    /**
     * {@link ConnectionHandler#onHandshakeFailed} is called for connection attempts the listener
     * refuses in the handshake, at least for one that offers no common application protocol.
     */
    HANDSHAKE_FAILED,

    /**
     * With {@link ListenSpec#retry()} the listener validates each client's address with a QUIC
     * Retry whose token is stateless: it keeps nothing for a first Initial until the token comes
     * back from the same address and port. A transport that does not claim this refuses a
     * {@code ListenSpec} with Retry on.
     */
    RETRY
}
