// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.netty;

import org.junit.jupiter.api.extension.ExtendWith;
import quicpool.api.spi.QuicTransport;
import quicpool.compliance.RequiresTransport;
import quicpool.compliance.TransportHandshakeBoundKit;

/** A Netty server pool ends a handshake not completed within its bound, and nothing of it is left. */
@RequiresTransport("netty")
@ExtendWith(LeakCheck.class)
class NettyHandshakeBoundTest extends TransportHandshakeBoundKit {
    @Override
    protected QuicTransport transport() {
        return new NettyTransport();
    }
}
