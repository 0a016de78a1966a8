// SPDX-License-Identifier: Apache-2.0
package quicpool.core.client;

import java.util.concurrent.atomic.AtomicInteger;
import quicpool.api.spi.TransportConnection;

/**
 * One dial's QUIC connection in a client shard, with the count of its streams that are open
 * (being handshaken, idle or handed out), which must stay within the peer's 128.
 */
final class ShardConnection {
    final TransportConnection connection;
    final AtomicInteger openStreams = new AtomicInteger();
    volatile boolean served;
    /** Why this end gave the connection up before it served a stream, or null. */
    volatile java.io.IOException failure;

    ShardConnection(TransportConnection connection) {
        this.connection = connection;
    }

    boolean isOpen() {
        return connection.isOpen();
    }

    /** One of its streams was closed. */
    void release() {
        openStreams.decrementAndGet();
    }
}
