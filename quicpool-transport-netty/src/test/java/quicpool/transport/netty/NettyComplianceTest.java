// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.netty;

import org.junit.jupiter.api.extension.ExtendWith;
import quicpool.api.spi.QuicTransport;
import quicpool.compliance.TransportComplianceKit;
import quicpool.compliance.RequiresTransport;

/** The project's end-to-end transport suite, on the real pool engine, over Netty on both ends. */
@RequiresTransport("netty")
@ExtendWith(LeakCheck.class)
class NettyComplianceTest extends TransportComplianceKit {

    @Override
    protected QuicTransport serverTransport() {
        return new NettyTransport();
    }

    /**
     * Fewer pairs than the kit's 200: this module runs with paranoid leak tracking, which records
     * every buffer access and makes each echoed mebibyte cost about ten times as much.
     */
    @Override
    protected int echoPairs() {
        return 16;
    }
}
