// SPDX-License-Identifier: Apache-2.0
package quicpool.api.spi;

import java.net.InetSocketAddress;

/** A bound QUIC listener. Thread-safe. */
public interface TransportListener extends AutoCloseable {

    /** The bound address, with the chosen port when port 0 was asked for. */
    InetSocketAddress localAddress();

    /**
     * Stops accepting and releases the transport's threads and buffers. Connections already
     * handed to the handler are not closed by this; where they share the listener's socket, the
     * socket closes when the last of them ends (the pool closes its connections first). Idempotent.
     */
    @Override
    void close();
}
