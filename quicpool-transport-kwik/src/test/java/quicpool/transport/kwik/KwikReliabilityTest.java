// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik;

import quicpool.api.spi.QuicTransport;
import quicpool.compliance.TransportReliabilityKit;

/** Faults, recovery and leaks on Kwik, client and server. */
class KwikReliabilityTest extends TransportReliabilityKit {
    @Override
    protected QuicTransport transport() {
        return new KwikTransport();
    }
}
