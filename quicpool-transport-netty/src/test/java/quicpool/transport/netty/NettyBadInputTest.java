// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.netty;

import org.junit.jupiter.api.extension.ExtendWith;
import quicpool.api.spi.QuicTransport;
import quicpool.compliance.TransportBadInputKit;
import quicpool.compliance.RequiresTransport;

/** Hostile peers, broken servers, bad certificates and API misuse on Netty QUIC, with buffer leak checking. */
@RequiresTransport("netty")
@ExtendWith(LeakCheck.class)
class NettyBadInputTest extends TransportBadInputKit {
    @Override
    protected QuicTransport transport() {
        return new NettyTransport();
    }

    /** Netty hands a server no stream before its first byte (quiche reports only readable streams). */
    @Override
    protected boolean silentStreamsReachTheServer() {
        return false;
    }
}
