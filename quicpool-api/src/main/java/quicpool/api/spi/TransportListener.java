package quicpool.api.spi;

import java.net.InetSocketAddress;

/** A bound QUIC listener. Thread-safe. */
public interface TransportListener extends AutoCloseable {

    /** The bound address, with the chosen port when port 0 was asked for. */
    InetSocketAddress localAddress();

    /**
     * Stops accepting, closes the socket and releases the transport's threads and buffers. Does
     * not close connections already handed to the handler. Idempotent.
     */
    @Override
    void close();
}
