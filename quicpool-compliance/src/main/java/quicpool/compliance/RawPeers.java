// SPDX-License-Identifier: Apache-2.0
package quicpool.compliance;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import quicpool.api.spi.DialSpec;
import quicpool.api.spi.QuicSettings;
import quicpool.api.spi.QuicTransport;
import quicpool.api.spi.TransportConnection;
import quicpool.testkit.PoolQuicSettings;

/**
 * Peers that talk to a pool straight through a transport's SPI, bypassing the pool engine, so
 * they can break the protocol: another ALPN, wrong handshake bytes, silence.
 */
public final class RawPeers {
    /** The keep-alive of raw peers, as the kits' pools use. */
    static final Duration KEEP_ALIVE = Duration.ofSeconds(1);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    private RawPeers() {
    }

    /** The pool's QUIC settings, with {@code alpn} as the application protocol. */
    public static QuicSettings settings(String alpn) {
        QuicSettings pool = PoolQuicSettings.forKeepAlive(KEEP_ALIVE);
        return new QuicSettings(alpn, pool.keepAlive(), pool.idleTimeout(), pool.maxBidiStreams(),
                pool.streamWindow(), pool.connectionWindow());
    }

    /**
     * Dials {@code server} as {@code localhost}, offering only {@code alpn}, trusting the kits'
     * certificate ({@link PoolFixture#CERT}), which every kit server presents.
     */
    public static TransportConnection dial(QuicTransport transport, InetSocketAddress server, String alpn)
            throws IOException, InterruptedException {
        return dial(transport, server, alpn, CONNECT_TIMEOUT);
    }

    /** As {@link #dial(QuicTransport, InetSocketAddress, String)}, with {@code connectTimeout} instead of 2 s. */
    static TransportConnection dial(QuicTransport transport, InetSocketAddress server, String alpn,
                                    Duration connectTimeout) throws IOException, InterruptedException {
        return transport.connect(new DialSpec(server, "localhost", PoolFixture.CERT.trustManager(), settings(alpn),
                connectTimeout));
    }
}
