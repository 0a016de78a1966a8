// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik;

import quicpool.api.spi.QuicTransport;
import quicpool.compliance.TransportAdmissionKit;

/** Refusal at the first packet and the per-address limit, on Kwik's listener socket. */
class KwikAdmissionTest extends TransportAdmissionKit {
    @Override
    protected QuicTransport transport() {
        return new KwikTransport();
    }
}
