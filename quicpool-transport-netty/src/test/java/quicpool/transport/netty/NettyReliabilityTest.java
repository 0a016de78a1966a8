// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.netty;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;
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

    /**
     * Opt-in ({@code -Dquicpool.netty.lossy=true}) until quiche is fixed: over the lossy relay
     * (5% drop, 5% reordered) quiche as bundled in Netty 4.2.18 now and then loses a FIN written
     * while a retransmission of the same stream waits, so the echo's reader waits for good (about 1
     * run in 10 at 60 pairs). See RELIABILITY.md, "Open findings".
     */
    @Override
    @Test
    public void lossyPathEchoesEveryByteAndKeepsCountsExact() throws Exception {
        assumeTrue(Boolean.getBoolean("quicpool.netty.lossy"), "open finding: a stream stalls on a lossy path");
        super.lossyPathEchoesEveryByteAndKeepsCountsExact();
    }
}
