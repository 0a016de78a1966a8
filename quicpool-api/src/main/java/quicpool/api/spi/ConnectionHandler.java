// SPDX-License-Identifier: Apache-2.0
package quicpool.api.spi;

import java.net.InetSocketAddress;

/**
 * Receives a listener's new connections. Called on a transport thread: must not block.
 */
@FunctionalInterface
public interface ConnectionHandler {

    /**
     * A connection completed its handshake.
     *
     * @return the handler for the streams the peer opens on it, or {@code null} when the handler
     *         closed the connection (the transport then drops any stream the peer opens)
     */
    StreamHandler onConnection(TransportConnection connection);

    /**
     * A peer's connection attempt failed its QUIC or TLS handshake, so {@link #onConnection} is
     * never called for it: no common application protocol (ALPN), the peer refused the
     * certificate, a malformed handshake. Lets a server count such attempts. Called on a
     * transport thread; must not block. A transport reports what its QUIC stack lets it see: Kwik's
     * server tells nothing, so its transport reports only the handshakes the server refuses in the
     * client's first flight (another ALPN, a ClientHello it rejects), which it reads on the wire.
     * Transports that claim {@link Capability#HANDSHAKE_FAILED} call it at least for an attempt
     * that offers no common application protocol. The default ignores it.
     *
     * @param remote the peer's address
     * @param reason the stack's description of the failure
     */
    default void onHandshakeFailed(InetSocketAddress remote, String reason) {
    }
}
