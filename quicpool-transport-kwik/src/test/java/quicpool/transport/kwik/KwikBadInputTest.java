// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik;

import quicpool.api.spi.QuicTransport;
import quicpool.compliance.TransportBadInputKit;

/** Hostile peers, broken servers, bad certificates and API misuse on Kwik, client and server. */
class KwikBadInputTest extends TransportBadInputKit {
    @Override
    protected QuicTransport transport() {
        return new KwikTransport();
    }
}
