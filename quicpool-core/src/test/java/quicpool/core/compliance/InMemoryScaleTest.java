// SPDX-License-Identifier: Apache-2.0
package quicpool.core.compliance;

import quicpool.api.spi.QuicTransport;
import quicpool.compliance.TransportScaleKit;
import quicpool.testkit.InMemoryNetwork;
import quicpool.testkit.InMemoryTransport;

/** The scale kit on the in-memory transport: the engine alone at 64 shards x 128 streams. */
class InMemoryScaleTest extends TransportScaleKit {
    private final InMemoryNetwork network = new InMemoryNetwork();

    @Override
    protected QuicTransport transport() {
        return new InMemoryTransport(network);
    }
}
