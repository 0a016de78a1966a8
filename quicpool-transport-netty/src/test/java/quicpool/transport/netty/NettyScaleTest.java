// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.netty;

import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import quicpool.api.spi.QuicTransport;
import quicpool.compliance.TransportScaleKit;
import quicpool.compliance.RequiresTransport;

/**
 * 64 shards x 128 streams on Netty QUIC, client and server, with buffer leak checking.
 *
 * <p>Leak detection runs at SIMPLE here (one buffer in 128 tracked, a leak still reported) rather
 * than the module's PARANOID: recording every access of every buffer made the 8192-stream fill
 * about four times slower. {@link LeakCheck} still checks the reports after the class.
 */
@RequiresTransport("netty")
@ExtendWith(LeakCheck.class)
class NettyScaleTest extends TransportScaleKit {
    @BeforeAll
    static void sampleLeakDetection() {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.SIMPLE);
    }

    @AfterAll
    static void restoreParanoidLeakDetection() {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    }

    @Override
    protected QuicTransport transport() {
        return new NettyTransport();
    }
}
