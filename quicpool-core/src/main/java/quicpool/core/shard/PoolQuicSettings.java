// SPDX-License-Identifier: Apache-2.0
package quicpool.core.shard;

import java.time.Duration;
import quicpool.api.spi.QuicSettings;

/**
 * The QUIC settings the engine gives every pool connection, on both ends: ALPN {@link
 * QuicSettings#ALPN}, an idle timeout of three keep-alive periods (so two lost PINGs in a row do
 * not end a connection), {@link QuicSettings#STREAMS_PER_CONNECTION} streams, a 1 MiB window per
 * stream and 16 MiB per connection.
 */
public final class PoolQuicSettings {
    /** Initial flow-control window per stream, bytes. */
    public static final long STREAM_WINDOW = 1L << 20;
    /** Initial flow-control window per connection, bytes. */
    public static final long CONNECTION_WINDOW = 16L << 20;

    private PoolQuicSettings() {
    }

    /** The settings for this keep-alive period, which the builders have checked is positive. */
    public static QuicSettings forKeepAlive(Duration keepAlive) {
        return new QuicSettings(QuicSettings.ALPN, keepAlive, keepAlive.multipliedBy(3),
                QuicSettings.STREAMS_PER_CONNECTION, STREAM_WINDOW, CONNECTION_WINDOW);
    }
}
