// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.netty;

import org.junit.jupiter.api.extension.ExtendWith;
import quicpool.api.spi.QuicTransport;
import quicpool.compliance.TransportReliabilityKit;
import quicpool.compliance.RequiresTransport;

/** Faults, recovery and leaks on Netty QUIC, client and server, with buffer leak checking. */
@RequiresTransport("netty")
@ExtendWith(LeakCheck.class)
class NettyReliabilityTest extends TransportReliabilityKit {
    @Override
    protected QuicTransport transport() {
        return new NettyTransport();
    }
}
