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

    /**
     * Only with {@code -Dquicpool.kwik.retryReplay=true}: Kwik keeps the connection of the replayed
     * Initial's unreturned token, and the server's {@code close()} after the test waits about 30 s
     * for it (RELIABILITY.md, QUIC Retry).
     */
    @Override
    protected boolean replaysWithRetryOn() {
        return Boolean.getBoolean("quicpool.kwik.retryReplay");
    }
}
