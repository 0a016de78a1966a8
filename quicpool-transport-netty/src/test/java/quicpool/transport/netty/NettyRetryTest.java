// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.netty;

import org.junit.jupiter.api.extension.ExtendWith;
import quicpool.api.spi.QuicTransport;
import quicpool.compliance.RequiresTransport;
import quicpool.compliance.TransportRetryKit;

/**
 * QUIC Retry on Netty's server (tokens from {@link RetryTokens}): good clients served, a first
 * Initial answered with a Retry only; with buffer leak checking.
 */
@RequiresTransport("netty")
@ExtendWith(LeakCheck.class)
class NettyRetryTest extends TransportRetryKit {
    @Override
    protected QuicTransport transport() {
        return new NettyTransport();
    }
}
