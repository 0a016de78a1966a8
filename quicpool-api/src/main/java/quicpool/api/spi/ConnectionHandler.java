package quicpool.api.spi;

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
}
