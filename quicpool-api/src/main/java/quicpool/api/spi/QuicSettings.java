// SPDX-License-Identifier: Apache-2.0
package quicpool.api.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * The QUIC settings of a connection, the same on both ends. Transports apply all of them, on the
 * dialing and on the listening end. What applies to a dial only is in {@link DialSpec}.
 *
 * @param applicationProtocol   the ALPN; pools use {@link #ALPN}
 * @param keepAlive             the period of keep-alive (PING) frames
 * @param idleTimeout           the max idle timeout; pools use 3 x keep-alive
 * @param maxBidiStreams        bidirectional streams the peer may have open at once; pools use
 *                              {@link #STREAMS_PER_CONNECTION}
 * @param streamWindow          initial flow-control window per stream, bytes
 * @param connectionWindow      initial flow-control window per connection, bytes
 */
public record QuicSettings(String applicationProtocol, Duration keepAlive, Duration idleTimeout,
                           int maxBidiStreams, long streamWindow, long connectionWindow) {

    /** The ALPN of vistone/quic, the Go library quicpool is a port of, kept for wire compatibility. */
    public static final String ALPN = "np-quic";
    /** Streams per QUIC connection, the size of one shard. */
    public static final int STREAMS_PER_CONNECTION = 128;
    /**
     * The UDP socket buffer size, in bytes, each transport asks the kernel for, receive and send
     * alike: 4 MiB. The kernel may grant less (Linux caps a request at {@code net.core.rmem_max}
     * and {@code net.core.wmem_max}). With the common default of about 208 KiB, one listener
     * socket shared by many connections drops thousands of datagrams while a large pool fills on
     * a busy machine, and a connection that loses several exchanges in a row backs off its loss
     * recovery until it falls silent for seconds.
     */
    public static final int UDP_SOCKET_BUFFER = 4 << 20;

    /**
     * Checks for null; the ranges each transport accepts are checked by the transport.
     *
     * @throws NullPointerException if a {@code String} or {@code Duration} is null, naming it
     */
    public QuicSettings {
        Objects.requireNonNull(applicationProtocol, "applicationProtocol");
        Objects.requireNonNull(keepAlive, "keepAlive");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
    }
}
