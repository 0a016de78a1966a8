// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik;

import quicpool.api.spi.QuicTransport;
import quicpool.compliance.TransportScaleKit;

/** 64 shards x 128 streams on Kwik, client and server. */
class KwikScaleTest extends TransportScaleKit {
    @Override
    protected QuicTransport transport() {
        return new KwikTransport();
    }
}
