// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.netty;

import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import quicpool.api.spi.OnceCallbacks;
import quicpool.api.spi.TransportStream;

/**
 * A {@link TransportStream} over one Netty {@link QuicStreamChannel}: blocking views whose waits
 * happen on the caller's thread, never on the event loop.
 */
final class NettyStream implements TransportStream {

    /**
     * How long a closed stream waits for the peer's FIN (and for our FIN to pass flow control)
     * before it aborts both directions.
     */
    static final Duration LINGER = Duration.ofSeconds(30);

    /** Application error code of STOP_SENDING and RESET_STREAM sent by {@link #close()}. */
    private static final int CLOSE_ERROR = 0;
    private static final System.Logger PEER_ABORT_LOG = System.getLogger("quicpool.transport.netty.PeerAbort");

    private final QuicStreamChannel channel;
    private final StreamInput input;
    private final StreamOutput output;
    private final StreamChannelHandler handler;
    /**
     * The callbacks of {@link #onPeerAbort}: run once when the peer resets its side of the stream
     * (RESET_STREAM, seen when reading), stops ours (STOP_SENDING, which Netty reveals only to a
     * write) or ends its side (FIN) with no byte of it left unread.
     */
    private final OnceCallbacks peerAbort = new OnceCallbacks(PEER_ABORT_LOG, "peer-abort");
    private final AtomicBoolean finRequested = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    NettyStream(QuicStreamChannel channel) {
        this.channel = channel;
        this.input = new StreamInput(channel);
        this.output = new StreamOutput(channel, this, peerAbort);
        this.handler = new StreamChannelHandler(input, output, peerAbort);
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
        output.sendFin();
        output.throwIfFailed();
    }

    @Override
    public void onPeerAbort(Runnable callback) {
        peerAbort.add(callback);
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
     * FIN after what was written, then the peer's bytes are drained and dropped until its FIN
     * arrives, when Netty closes the channel by itself. Netty forgets a stream channel only once it
     * has read the peer's FIN: a STOP_SENDING here would leave the closed channel in the
     * connection's map for the connection's lifetime (and quiche would never report it again).
     * Only a peer that neither ends its side nor lets our FIN out within {@link #LINGER} is told to
     * stop (STOP_SENDING, and RESET_STREAM for a FIN still stuck), so quiche completes the stream
     * and its credit returns.
     */
    private void closeOnLoop() {
        if (!channel.isOpen()) {
            return;
        }
        if (finRequested.compareAndSet(false, true)) {
            output.sendFin();
        }
        channel.read(); // drain: the input is closed, so whatever arrives is dropped
        ScheduledFuture<?> linger = channel.eventLoop().schedule(this::abort, LINGER.toNanos(), TimeUnit.NANOSECONDS);
        channel.closeFuture().addListener(f -> linger.cancel(false));
    }

    private void abort() {
        if (!channel.isOpen()) {
            return;
        }
        if (!channel.isInputShutdown()) {
            channel.shutdownInput(CLOSE_ERROR);
        }
        if (!channel.isOutputShutdown()) { // our FIN is still behind flow control
            channel.shutdownOutput(CLOSE_ERROR);
        }
        channel.close();
    }
}
