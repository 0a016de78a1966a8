// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.netty;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.util.AttributeKey;

/**
 * Sets up every stream channel, ours and the peer's: a {@link NettyStream} with its handler, and
 * for a peer's stream, delivery to the connection's {@link PeerStreams}.
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
            NettyConnection connection = NettyConnection.of(ch.parent());
            if (connection == null) {
                stream.close();
            } else {
                connection.peerStreams().offer(stream);
            }
        }
    }
}
