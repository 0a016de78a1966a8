// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamResetException;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.lang.System.Logger.Level;
import quicpool.api.spi.OnceCallbacks;

/** Feeds one stream channel's events to its {@link StreamInput} and {@link StreamOutput}. */
final class StreamChannelHandler extends ChannelInboundHandlerAdapter {

    private static final System.Logger LOG = System.getLogger("quicpool.transport.netty.StreamChannelHandler");

    private final StreamInput input;
    private final StreamOutput output;
    private final OnceCallbacks peerAbort;

    StreamChannelHandler(StreamInput input, StreamOutput output, OnceCallbacks peerAbort) {
        this.input = input;
        this.output = output;
        this.peerAbort = peerAbort;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.read(); // auto-read is off: ask for the first bytes
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (input.offer((ByteBuf) msg)) {
            ctx.read();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownReadComplete && input.finished()) {
            // A FIN with every byte before it read: on an idle pooled stream, the peer closed it
            // (Netty's close sends FIN only, Kwik's FIN and STOP_SENDING, which an idle end never
            // sees), so the pool must evict it; on a stream in use the pool ignores the callback.
            peerAbort.fire();
        }
        ReferenceCountUtil.release(evt); // events end here
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        output.writabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof QuicStreamResetException) {
            long code = ((QuicStreamResetException) cause).applicationProtocolCode();
            input.failed(new IOException("stream " + streamId(ctx) + " was reset by the peer (code " + code + ")",
                    cause));
            peerAbort.fire();
        } else {
            LOG.log(Level.DEBUG, "error on stream " + streamId(ctx), cause);
            input.failed(NettyFutures.ioException("reading stream " + streamId(ctx) + " failed", cause));
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        input.failed(() -> new IOException("stream " + streamId(ctx) + " ended before the peer's FIN"
                + " (stream or connection closed)"));
        output.channelInactive();
    }

    private static long streamId(ChannelHandlerContext ctx) {
        return ((QuicStreamChannel) ctx.channel()).streamId();
    }
}
