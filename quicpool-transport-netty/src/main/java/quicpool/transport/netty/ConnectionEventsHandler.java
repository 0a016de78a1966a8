// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import io.netty.handler.codec.quic.QuicDatagramExtensionEvent;
import io.netty.handler.codec.quic.QuicStreamLimitChangedEvent;
import java.lang.System.Logger.Level;

/**
 * Passes a connection channel's events to its {@link NettyConnection}: stream credit, the peer's
 * close and its reason, the peer's DATAGRAM support (keep-alive) and incoming keep-alive probes,
 * which are dropped.
 */
final class ConnectionEventsHandler extends ChannelInboundHandlerAdapter {

    private static final System.Logger LOG = System.getLogger("quicpool.transport.netty.ConnectionEventsHandler");

    private final NettyConnection connection;

    ConnectionEventsHandler(NettyConnection connection) {
        this.connection = connection;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf) {
            ((ByteBuf) msg).release(); // a DATAGRAM frame: only ever a keep-alive probe
        } else {
            ctx.fireChannelRead(msg); // a peer's stream: the pipeline's tail registers it
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof QuicStreamLimitChangedEvent) {
            connection.opener().creditChanged();
        } else if (evt instanceof QuicConnectionCloseEvent) {
            connection.peerClosed((QuicConnectionCloseEvent) evt);
        } else if (evt instanceof QuicDatagramExtensionEvent) {
            connection.keepAlive().peerAcceptsDatagrams(((QuicDatagramExtensionEvent) evt).maxLength());
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(Level.DEBUG, "error on QUIC connection " + ctx.channel(), cause);
    }
}
