/**
 * Test fixtures for quicpool and for transports: an in-memory QUIC transport with fault injection.
 * Not for production: the in-memory transport is chosen only by name ("in-memory").
 */
module quicpool.testkit {
    requires transitive quicpool.api;

    exports quicpool.testkit;

    provides quicpool.api.spi.QuicTransport with quicpool.testkit.InMemoryTransport;
}
