// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik;

import java.time.Duration;
import quicpool.api.spi.QuicTransport;
import quicpool.compliance.TransportReliabilityKit;

/** Faults, recovery and leaks on Kwik, client and server. */
class KwikReliabilityTest extends TransportReliabilityKit {
    @Override
    protected QuicTransport transport() {
        return new KwikTransport();
    }

    /**
     * Kwik 0.10.8's server does not follow a client to a new address: the pool ends that connection
     * within 2 keep-alive periods (2 s here) and redials; 1.5 s more for the redial, the fill and
     * the first echo on a loaded machine.
     */
    @Override
    protected Duration natRebindingBound() {
        return Duration.ofMillis(3500);
    }
}
