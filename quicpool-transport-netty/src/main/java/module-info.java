// SPDX-License-Identifier: Apache-2.0
/**
 * quicpool's QUIC transport on Netty's native QUIC codec (quiche and BoringSSL).
 *
 * <p>The native library is a separate jar per platform ({@code io.netty:netty-codec-native-quic}
 * with a classifier such as {@code linux-x86_64}). Its module, e.g.
 * {@code io.netty.codec.quic.linux.x86_64}, exports nothing and is deliberately not required here,
 * so that this module is not tied to one platform: on the module path add it with
 * {@code --add-modules io.netty.codec.quic.linux.x86_64} (or put the jar on the class path).
 * {@link quicpool.transport.netty.NettyTransport#unavailableReason()} says exactly this when the
 * library cannot be loaded.
 */
module quicpool.transport.netty {
    requires transitive quicpool.api;
    requires io.netty.codec.classes.quic;
    requires io.netty.common;
    requires io.netty.buffer;
    requires io.netty.transport;
    requires io.netty.handler;

    exports quicpool.transport.netty;

    provides quicpool.api.spi.QuicTransport with quicpool.transport.netty.NettyTransport;
}
