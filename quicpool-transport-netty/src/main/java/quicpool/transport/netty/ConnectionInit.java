// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.netty;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.quic.QuicChannel;
import java.util.function.Consumer;
import quicpool.api.spi.QuicSettings;

/**
 * Sets up every connection channel: attaches its {@link NettyConnection} and the handler of its
 * events, plus whatever the side (client or server) adds.
 */
@ChannelHandler.Sharable
final class ConnectionInit extends ChannelInitializer<QuicChannel> {

    private final QuicSettings settings;
    private final Consumer<NettyConnection> sideSpecific;

    ConnectionInit(QuicSettings settings, Consumer<NettyConnection> sideSpecific) {
        this.settings = settings;
        this.sideSpecific = sideSpecific;
    }

    @Override
    protected void initChannel(QuicChannel ch) {
        NettyConnection connection = NettyConnection.attach(ch, settings);
        ch.pipeline().addLast(new ConnectionEventsHandler(connection));
        sideSpecific.accept(connection);
    }
}
