/** quicpool's QUIC transport on Netty's native QUIC codec. */
module quicpool.transport.netty {
    requires quicpool.api;
}
