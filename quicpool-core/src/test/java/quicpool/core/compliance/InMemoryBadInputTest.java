// SPDX-License-Identifier: Apache-2.0
package quicpool.core.compliance;

import quicpool.api.spi.QuicTransport;
import quicpool.compliance.TransportBadInputKit;
import quicpool.testkit.InMemoryNetwork;
import quicpool.testkit.InMemoryTransport;

/** The bad-input kit on the in-memory transport: the engine's side of every case, without packets. */
class InMemoryBadInputTest extends TransportBadInputKit {
    private final InMemoryNetwork network = new InMemoryNetwork();

    @Override
    protected QuicTransport transport() {
        return new InMemoryTransport(network);
    }
}
