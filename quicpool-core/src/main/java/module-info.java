// SPDX-License-Identifier: Apache-2.0
/**
 * quicpool's engine: shard math, the ID codec and handshake, the lock-free stream registry, the
 * refill and accept loops and the capacity and interval controllers. Knows no QUIC library: it
 * runs on whatever {@link quicpool.api.spi.QuicTransport} it is given.
 */
@SuppressWarnings("module") // the qualified exports name quicpool.bench, which is built after this module
module quicpool.core {
    requires transitive quicpool.api;
    requires jdk.jfr; // the quicpool.* events: quicpool.core.jfr

    // for quicpool-bench only: its JMH benchmarks drive the registry and the pool base directly
    exports quicpool.core.registry to quicpool.bench;
    exports quicpool.core.stream to quicpool.bench;
    exports quicpool.core.pool to quicpool.bench;
    exports quicpool.core.id to quicpool.bench;

    provides quicpool.api.internal.PoolEngine with quicpool.core.CorePoolEngine;
}
