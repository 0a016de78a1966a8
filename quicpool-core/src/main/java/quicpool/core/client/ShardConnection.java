// SPDX-License-Identifier: Apache-2.0
package quicpool.core.client;

import quicpool.api.spi.QuicSettings;
import quicpool.api.spi.TransportConnection;

/**
 * One dial's QUIC connection in a client shard, with the credit of its streams, which must stay
 * within the peer's 128.
 */
final class ShardConnection {
    final TransportConnection connection;
    final StreamCredit credit = new StreamCredit(QuicSettings.STREAMS_PER_CONNECTION);
    volatile boolean served;
    /** Why this end gave the connection up before it served a stream, or null. */
    volatile java.io.IOException failure;

    ShardConnection(TransportConnection connection) {
        this.connection = connection;
    }

    boolean isOpen() {
        return connection.isOpen();
    }
}
