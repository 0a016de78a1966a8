// SPDX-License-Identifier: Apache-2.0
/**
 * quicpool's QUIC transport on Kwik, a pure-Java QUIC stack. Provides {@link
 * quicpool.api.spi.QuicTransport} under the name {@code "kwik"}; nothing to call directly.
 */
module quicpool.transport.kwik {
    requires quicpool.api;
    requires tech.kwik.core;
    requires at.favre.lib.hkdf;

    provides quicpool.api.spi.QuicTransport with quicpool.transport.kwik.KwikTransport;
}
