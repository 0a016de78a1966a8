/**
 * quicpool's engine: shard math, the ID codec and handshake, the lock-free stream registry, the
 * refill and accept loops and the capacity and interval controllers. Knows no QUIC library: it
 * runs on whatever {@link quicpool.api.spi.QuicTransport} it is given.
 */
module quicpool.core {
    requires transitive quicpool.api;
    requires org.jctools.core;

    provides quicpool.api.spi.PoolEngine with quicpool.core.CorePoolEngine;
}
