// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik;

import quicpool.api.spi.QuicTransport;
import quicpool.compliance.TransportFloodKit;

/** Floods of datagrams at a Kwik server pool: refused handshakes, garbage, and streams that never send 0x00. */
class KwikFloodTest extends TransportFloodKit {
    @Override
    protected QuicTransport transport() {
        return new KwikTransport();
    }
}
