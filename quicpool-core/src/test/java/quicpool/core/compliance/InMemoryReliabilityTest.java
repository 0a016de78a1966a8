// SPDX-License-Identifier: Apache-2.0
package quicpool.core.compliance;

import quicpool.api.spi.QuicTransport;
import quicpool.compliance.TransportReliabilityKit;
import quicpool.testkit.InMemoryNetwork;
import quicpool.testkit.InMemoryTransport;

/**
 * The reliability kit's restart, resolver and leak tests on the in-memory transport; the relay
 * tests need UDP and are skipped.
 */
class InMemoryReliabilityTest extends TransportReliabilityKit {
    private final InMemoryNetwork network = new InMemoryNetwork();

    @Override
    protected QuicTransport transport() {
        return new InMemoryTransport(network);
    }

    @Override
    protected boolean usesUdp() {
        return false;
    }
}
