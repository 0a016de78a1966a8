// SPDX-License-Identifier: Apache-2.0
package quicpool.testkit;

import java.time.Duration;
import quicpool.api.spi.QuicSettings;

/**
 * The QUIC settings quicpool's engine gives every pool connection, for tests and benchmarks that
 * drive a transport directly and want a pool's connections: ALPN {@link QuicSettings#ALPN}, idle
 * timeout 3 x keep-alive, {@link QuicSettings#STREAMS_PER_CONNECTION} streams, 1 MiB per stream,
 * 16 MiB per connection. The engine's own copy is not exported; a test of {@code quicpool-core}
 * checks that the two agree. Thread-safe (no state).
 */
public final class PoolQuicSettings {
    private PoolQuicSettings() {
    }

    /**
     * The settings for this keep-alive period.
     *
     * @throws NullPointerException if it is null
     */
    public static QuicSettings forKeepAlive(Duration keepAlive) {
        return new QuicSettings(QuicSettings.ALPN, keepAlive, keepAlive.multipliedBy(3),
                QuicSettings.STREAMS_PER_CONNECTION, 1L << 20, 16L << 20);
    }
}
