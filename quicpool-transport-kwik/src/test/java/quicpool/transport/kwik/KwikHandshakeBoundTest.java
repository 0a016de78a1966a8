// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik;

import quicpool.api.spi.QuicTransport;
import quicpool.compliance.TransportHandshakeBoundKit;

/** A Kwik server pool ends a handshake not completed within its bound, and nothing of it is left. */
class KwikHandshakeBoundTest extends TransportHandshakeBoundKit {
    @Override
    protected QuicTransport transport() {
        return new KwikTransport();
    }
}
