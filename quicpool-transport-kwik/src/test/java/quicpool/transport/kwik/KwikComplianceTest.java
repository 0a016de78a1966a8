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

    /**
     * Half the kit's 200 pairs: Kwik echoes about 16 MB/s on this project's 2-core CI machine, so
     * 200 mebibyte pairs took 25 s of the build's 10 minutes. The reliability kit's lossy echo
     * (100 pairs) and soak move more data through Kwik in the same build.
     */
    @Override
    protected int echoPairs() {
        return 100;
    }
}
