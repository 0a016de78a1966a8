// SPDX-License-Identifier: Apache-2.0
/**
 * Test fixtures for quicpool and for transports: an in-memory QUIC transport with fault injection,
 * and fresh self-signed test certificates ({@link quicpool.testkit.TestCertificates}).
 * Not for production: the in-memory transport is chosen only by name ("in-memory").
 */
module quicpool.testkit {
    requires transitive quicpool.api;
    requires org.bouncycastle.pkix;
    requires org.bouncycastle.provider;

    exports quicpool.testkit;

    provides quicpool.api.spi.QuicTransport with quicpool.testkit.InMemoryTransport;
}
