// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.netty;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.util.AttributeKey;

/**
 * Sets up every stream channel, ours and the peer's: a {@link NettyStream} with its handler, and
 * for a peer's stream, delivery to the connection's {@link PeerStreams} once the channel is
 * active and has read what arrived with it.
 */
@ChannelHandler.Sharable
final class StreamChannelInit extends ChannelInitializer<QuicStreamChannel> {

    static final StreamChannelInit INSTANCE = new StreamChannelInit();

    private static final AttributeKey<NettyStream> STREAM = AttributeKey.valueOf(NettyStream.class, "stream");

    private StreamChannelInit() {
    }

    static NettyStream streamOf(QuicStreamChannel channel) {
        return channel.attr(STREAM).get();
    }

    @Override
    protected void initChannel(QuicStreamChannel ch) {
        NettyStream stream = new NettyStream(ch);
        ch.attr(STREAM).set(stream);
        ch.pipeline().addLast(stream.handler());
        if (!ch.isLocalCreated()) {
            ch.pipeline().addLast(new Announcement(stream));
        }
    }

    /**
     * Hands a peer's stream to its connection when the channel becomes active, after the stream's
     * handler has asked for the first bytes ({@link StreamChannelHandler#channelActive}), which
     * the channel delivers at once when they came with the stream. So a stream handler finds
     * those bytes already readable: a server pool tells a stream whose handshake byte is there
     * from one that makes it wait (and counts against its limits on waiting streams) by that.
     * Handed over from {@link #initChannel}, before that read, a handler that looks on another
     * thread would race it, and a client filling its pool would find streams refused as waiting.
     */
    private static final class Announcement extends ChannelInboundHandlerAdapter {
        private final NettyStream stream;

        Announcement(NettyStream stream) {
            this.stream = stream;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.pipeline().remove(this);
            NettyConnection connection = NettyConnection.of(((QuicStreamChannel) ctx.channel()).parent());
            if (connection == null) {
                stream.close();
            } else {
                connection.peerStreams().offer(stream);
            }
            ctx.fireChannelActive();
        }
    }
}
