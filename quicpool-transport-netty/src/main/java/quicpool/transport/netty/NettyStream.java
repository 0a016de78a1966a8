package quicpool.transport.netty;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamFrame;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import quicpool.api.spi.TransportStream;

/**
 * A {@link TransportStream} over one Netty {@link QuicStreamChannel}: blocking views whose waits
 * happen on the caller's thread, never on the event loop.
 */
final class NettyStream implements TransportStream {

    /**
     * How long {@link #close()} lets queued bytes and the FIN wait for the peer's flow-control
     * credit before it resets the stream instead.
     */
    static final Duration LINGER = Duration.ofSeconds(10);

    /** Application error code of STOP_SENDING and RESET_STREAM sent by {@link #close()}. */
    private static final int CLOSE_ERROR = 0;

    private final QuicStreamChannel channel;
    private final StreamInput input;
    private final StreamOutput output;
    private final StreamChannelHandler handler;
    private final AtomicBoolean finRequested = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    NettyStream(QuicStreamChannel channel) {
        this.channel = channel;
        this.input = new StreamInput(channel);
        this.output = new StreamOutput(channel, this);
        this.handler = new StreamChannelHandler(input, output);
    }

    /** The handler to put in the channel's pipeline. */
    StreamChannelHandler handler() {
        return handler;
    }

    QuicStreamChannel channel() {
        return channel;
    }

    @Override
    public long streamId() {
        return channel.streamId();
    }

    @Override
    public InputStream inputStream() {
        return input;
    }

    @Override
    public OutputStream outputStream() {
        return output;
    }

    @Override
    public void setReadTimeout(Duration timeout) {
        input.setTimeout(timeout);
    }

    @Override
    public void shutdownOutput() throws IOException {
        if (closed.get()) {
            return;
        }
        if (!finRequested.compareAndSet(false, true)) {
            return;
        }
        output.markShutdown();
        if (!channel.isOpen()) {
            throw new IOException("stream " + streamId() + " is closed; no FIN can be sent");
        }
        // Through the write path, so that FIN follows bytes still queued for flow control
        // (QuicStreamChannel.shutdownOutput() bypasses that queue).
        channel.writeAndFlush(QuicStreamFrame.EMPTY_FIN);
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        input.close();
        output.markShutdown();
        output.gone();
        try {
            channel.eventLoop().execute(this::closeOnLoop);
        } catch (RejectedExecutionException e) {
            // The event loop is gone, and with it the connection and this stream.
        }
    }

    /**
     * FIN after what was written, STOP_SENDING if the peer's FIN has not arrived (quiche then
     * discards its data, so the stream completes and its credit returns), then the channel is
     * closed once the FIN is out. A FIN still blocked by flow control after {@link #LINGER}
     * becomes a reset.
     */
    private void closeOnLoop() {
        if (!channel.isOpen()) {
            return;
        }
        if (!channel.isInputShutdown()) {
            channel.shutdownInput(CLOSE_ERROR);
        }
        ChannelFuture fin = finRequested.compareAndSet(false, true)
                ? channel.writeAndFlush(QuicStreamFrame.EMPTY_FIN)
                : channel.writeAndFlush(Unpooled.EMPTY_BUFFER); // completes after earlier writes
        if (fin.isDone()) {
            channel.close();
            return;
        }
        var linger = channel.eventLoop().schedule(() -> {
            if (channel.isOpen()) {
                channel.shutdownOutput(CLOSE_ERROR).addListener(f -> channel.close());
            }
        }, LINGER.toNanos(), TimeUnit.NANOSECONDS);
        fin.addListener(f -> {
            linger.cancel(false);
            channel.close();
        });
    }
}
