// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import quicpool.api.spi.ConnectionHandler;
import quicpool.api.spi.StreamHandler;

/**
 * On a server connection: once the TLS handshake is done, hands the connection to the listener's
 * {@link ConnectionHandler} and opens the way for the peer's streams (held back until then); if
 * it failed, tells the handler so. A handshake not done within its bound (from the client's first
 * packet) is ended and reported as failed, so an abandoned handshake holds its state no longer;
 * so is one that quiche ends before it completes (its idle timeout).
 * Confined to the connection's event loop.
 */
final class ServerHandshakeHandler extends ChannelInboundHandlerAdapter {

    private static final System.Logger LOG = System.getLogger("quicpool.transport.netty.ServerHandshakeHandler");

    private final NettyConnection connection;
    private final ConnectionHandler handler;
    private final NettyListener listener;
    private final Duration handshakeBound;
    private ScheduledFuture<?> timer;
    private boolean handshakeOver;

    ServerHandshakeHandler(NettyConnection connection, ConnectionHandler handler, NettyListener listener,
                           Duration handshakeBound) {
        this.connection = connection;
        this.handler = handler;
        this.listener = listener;
        this.handshakeBound = handshakeBound;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        timer = ctx.executor().schedule(this::handshakeTooSlow, handshakeBound.toNanos(), TimeUnit.NANOSECONDS);
        InetSocketAddress remote = connection.remoteAddress();
        ctx.channel().closeFuture().addListener(f -> {
            timer.cancel(false);
            if (!handshakeOver) {
                // Ended by quiche before its handshake completed (its idle timeout, or the listener's close).
                handshakeOver = true;
                reportFailure(remote, "connection closed before its handshake completed");
            }
        });
    }

    private void handshakeTooSlow() {
        if (handshakeOver || !connection.channel().isOpen()) {
            return;
        }
        handshakeOver = true;
        InetSocketAddress remote = connection.remoteAddress();
        LOG.log(Level.DEBUG, "handshake with {0} not done within {1}: closing it", remote, handshakeBound);
        connection.peerStreams().reject();
        reportFailure(remote, "handshake not completed within " + handshakeBound);
        connection.close(0, "handshake timeout");
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent && !handshakeOver) {
            handshakeOver = true;
            timer.cancel(false);
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
                reportFailure(connection.remoteAddress(), String.valueOf(done.cause()));
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    private void reportFailure(InetSocketAddress remote, String reason) {
        try {
            handler.onHandshakeFailed(remote, reason);
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
