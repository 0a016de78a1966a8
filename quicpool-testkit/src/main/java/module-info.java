// SPDX-License-Identifier: Apache-2.0
/**
 * Test fixtures for quicpool and for transports: an in-memory QUIC transport with fault injection,
 * fresh self-signed test certificates ({@link quicpool.testkit.TestCertificates}), and a handler that
 * keeps log records for tests ({@link quicpool.testkit.LogCapture}).
 * Not for production: the in-memory transport is chosen only by name ("in-memory").
 */
module quicpool.testkit {
    requires transitive quicpool.api;
    requires org.bouncycastle.pkix;
    requires org.bouncycastle.provider;
    requires transitive java.logging; // LogCapture is a java.util.logging handler

    exports quicpool.testkit;

    provides quicpool.api.spi.QuicTransport with quicpool.testkit.InMemoryTransport;
}
