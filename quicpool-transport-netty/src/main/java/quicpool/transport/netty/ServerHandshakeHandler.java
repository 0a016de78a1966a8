package quicpool.transport.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.lang.System.Logger.Level;
import quicpool.api.spi.ConnectionHandler;
import quicpool.api.spi.StreamHandler;

/**
 * On a server connection: once the TLS handshake is done, hands the connection to the listener's
 * {@link ConnectionHandler} and opens the way for the peer's streams (held back until then).
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
                connection.peerStreams().reject();
                ctx.close();
            }
        }
        ctx.fireUserEventTriggered(evt);
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
