// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik;

import quicpool.api.spi.QuicTransport;
import quicpool.compliance.TransportRetryKit;

/** QUIC Retry on Kwik's server: good clients served, a first Initial answered with a Retry only. */
class KwikRetryTest extends TransportRetryKit {
    @Override
    protected QuicTransport transport() {
        return new KwikTransport();
    }
}
