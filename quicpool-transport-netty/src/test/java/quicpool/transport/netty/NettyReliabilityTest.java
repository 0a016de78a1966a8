package quicpool.transport.netty;

import org.junit.jupiter.api.extension.ExtendWith;
import quicpool.api.spi.QuicTransport;
import quicpool.compliance.TransportReliabilityKit;

/** Faults, recovery and leaks on Netty QUIC, client and server, with buffer leak checking. */
@ExtendWith(LeakCheck.class)
class NettyReliabilityTest extends TransportReliabilityKit {
    @Override
    protected QuicTransport transport() {
        return new NettyTransport();
    }
}
