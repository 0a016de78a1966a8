// SPDX-License-Identifier: Apache-2.0
package quicpool.core.compliance;

import quicpool.api.spi.QuicTransport;
import quicpool.testkit.InMemoryNetwork;
import quicpool.testkit.InMemoryTransport;
import quicpool.compliance.TransportComplianceKit;

/** The in-memory transport passes the same suite as the real ones. */
class InMemoryComplianceTest extends TransportComplianceKit {
    @Override
    protected QuicTransport serverTransport() {
        return new InMemoryTransport(network);
    }

    /** The in-memory transport has no packets: the pool refuses strangers once they have connected. */
    @Override
    protected boolean refusesAtFirstPacket() {
        return false;
    }

    private final InMemoryNetwork network = new InMemoryNetwork();
}
