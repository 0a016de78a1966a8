/** quicpool's QUIC transport on Kwik, a pure-Java QUIC stack. */
module quicpool.transport.kwik {
    requires quicpool.api;
    requires tech.kwik.core;
}
