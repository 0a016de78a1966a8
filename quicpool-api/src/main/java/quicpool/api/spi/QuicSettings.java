// SPDX-License-Identifier: Apache-2.0
package quicpool.api.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * The QUIC settings every pool connection uses. Transports apply all of them on both ends.
 *
 * @param applicationProtocol   the ALPN, {@code "np-quic"}
 * @param keepAlive             the period of keep-alive (PING) frames
 * @param idleTimeout           the max idle timeout, 3 x keep-alive
 * @param maxBidiStreams        bidirectional streams the peer may have open at once: 128
 * @param streamWindow          initial flow-control window per stream, bytes
 * @param connectionWindow      initial flow-control window per connection, bytes
 * @param connectTimeout        how long a dial may take, handshake included
 */
public record QuicSettings(String applicationProtocol, Duration keepAlive, Duration idleTimeout,
                           int maxBidiStreams, long streamWindow, long connectionWindow,
                           Duration connectTimeout) {

    /** The ALPN of the original library, kept for wire compatibility. */
    public static final String ALPN = "np-quic";
    /** Streams per QUIC connection, the size of one shard. */
    public static final int STREAMS_PER_CONNECTION = 128;

    public QuicSettings {
        Objects.requireNonNull(applicationProtocol, "applicationProtocol");
        Objects.requireNonNull(keepAlive, "keepAlive");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
    }

    /** The pool's settings for a keep-alive period: idle timeout 3 x keep-alive, 128 streams. */
    public static QuicSettings forKeepAlive(Duration keepAlive, Duration connectTimeout) {
        return new QuicSettings(ALPN, keepAlive, keepAlive.multipliedBy(3), STREAMS_PER_CONNECTION,
                1L << 20, 16L << 20, connectTimeout);
    }
}
