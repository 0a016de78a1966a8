// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.netty;

import org.junit.jupiter.api.extension.ExtendWith;
import quicpool.api.spi.QuicTransport;
import quicpool.compliance.RequiresTransport;
import quicpool.compliance.TransportFloodKit;

/** Floods of datagrams and silent streams at a Netty server pool, with buffer leak checking (dropped datagrams are released). */
@RequiresTransport("netty")
@ExtendWith(LeakCheck.class)
class NettyFloodTest extends TransportFloodKit {
    @Override
    protected QuicTransport transport() {
        return new NettyTransport();
    }

    /** Netty's server learns of a stream only with its first byte (see {@code NettyBadInputTest}). */
    @Override
    protected boolean silentStreamsReachTheServer() {
        return false;
    }
}
