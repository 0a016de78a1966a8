// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik;

import quicpool.api.spi.QuicTransport;
import quicpool.compliance.TransportComplianceKit;

/** The whole compliance kit on Kwik, client and server. */
class KwikComplianceTest extends TransportComplianceKit {
    @Override
    protected QuicTransport serverTransport() {
        return new KwikTransport();
    }
}
