// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import quicpool.api.spi.ConnectionHandler;
import quicpool.api.spi.StreamHandler;

/**
 * On a server connection: once the TLS handshake is done, hands the connection to the listener's
 * {@link ConnectionHandler} and opens the way for the peer's streams (held back until then); if
 * it failed, tells the handler so.
 */
final class ServerHandshakeHandler extends ChannelInboundHandlerAdapter {

    private static final System.Logger LOG = System.getLogger("quicpool.transport.netty.ServerHandshakeHandler");

    private final NettyConnection connection;
    private final ConnectionHandler handler;
    private final NettyListener listener;

    ServerHandshakeHandler(NettyConnection connection, ConnectionHandler handler, NettyListener listener) {
        this.connection = connection;
        this.handler = handler;
        this.listener = listener;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent) {
            SslHandshakeCompletionEvent done = (SslHandshakeCompletionEvent) evt;
            if (done.isSuccess()) {
                accept();
            } else {
                LOG.log(Level.DEBUG, "TLS handshake with {0} failed: {1}", connection.channel().remoteSocketAddress(),
                        done.cause());
                // Not closed here: quiche sends the client a CONNECTION_CLOSE with the TLS alert and ends
                // the connection itself. Closing the channel at once dropped that frame, so the client
                // waited out its connect timeout and each of its retransmissions failed here again.
                connection.peerStreams().reject();
                reportFailure(connection.remoteAddress(), done.cause());
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    private void reportFailure(InetSocketAddress remote, Throwable cause) {
        try {
            handler.onHandshakeFailed(remote, String.valueOf(cause));
        } catch (RuntimeException | Error e) {
            LOG.log(Level.WARNING, "connection handler failed on a failed handshake of " + connection, e);
        }
    }

    private void accept() {
        if (listener.isClosed()) {
            connection.peerStreams().reject();
            connection.close(0, "listener closed");
            return;
        }
        connection.established();
        StreamHandler streams;
        try {
            streams = handler.onConnection(connection);
        } catch (RuntimeException | Error e) {
            LOG.log(Level.WARNING, "connection handler failed on " + connection + "; closing it", e);
            connection.peerStreams().reject();
            connection.close(0, "connection handler failed");
            return;
        }
        connection.peerStreams().open(streams);
    }
}
