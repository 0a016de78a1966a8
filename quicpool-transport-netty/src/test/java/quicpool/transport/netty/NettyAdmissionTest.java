// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.netty;

import org.junit.jupiter.api.extension.ExtendWith;
import quicpool.api.spi.QuicTransport;
import quicpool.compliance.RequiresTransport;
import quicpool.compliance.TransportAdmissionKit;

/**
 * Refusal at the first packet and the per-address limit, in front of Netty's QUIC codec, with
 * buffer leak checking (a dropped datagram must be released).
 */
@RequiresTransport("netty")
@ExtendWith(LeakCheck.class)
class NettyAdmissionTest extends TransportAdmissionKit {
    @Override
    protected QuicTransport transport() {
        return new NettyTransport();
    }
}
