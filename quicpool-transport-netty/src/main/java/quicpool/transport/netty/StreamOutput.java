// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.socket.ChannelOutputShutdownException;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import quicpool.api.spi.OnceCallbacks;

/**
 * The blocking write side of a stream. Each write is copied into buffers handed to the event loop;
 * the writer blocks while {@link #MAX_PENDING} bytes are not yet taken by quiche, or while the
 * channel is not writable (the peer's flow-control window is used up) and anything is pending.
 * So a slow reader on the other end stops the writer here, and memory stays bounded.
 */
final class StreamOutput extends OutputStream {

    static final int CHUNK = 32 * 1024;
    static final int MAX_PENDING = 128 * 1024;

    private final QuicStreamChannel channel;
    private final NettyStream owner;
    private final OnceCallbacks peerAbort;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private long pending;
    private boolean shutdown;
    private boolean gone;
    private IOException failure;

    StreamOutput(QuicStreamChannel channel, NettyStream owner, OnceCallbacks peerAbort) {
        this.channel = channel;
        this.owner = owner;
        this.peerAbort = peerAbort;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        int written = 0;
        while (written < len) {
            int n = Math.min(len - written, CHUNK);
            reserve(n, written);
            ByteBuf buf = channel.alloc().directBuffer(n).writeBytes(b, off + written, n);
            channel.writeAndFlush(buf).addListener(f -> done(n, f));
            written += n;
        }
    }

    /** Writes are handed over as they come; only reports an earlier write's failure. */
    @Override
    public void flush() throws IOException {
        lock.lock();
        try {
            if (failure != null) {
                throw new IOException(failure.getMessage(), failure);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Sends FIN after the bytes written so far. */
    @Override
    public void close() throws IOException {
        owner.shutdownOutput();
    }

    // ---- state changes, from any thread

    /** Later writes fail: FIN was requested. */
    boolean markShutdown() {
        lock.lock();
        try {
            boolean first = !shutdown;
            shutdown = true;
            changed.signalAll();
            return first;
        } finally {
            lock.unlock();
        }
    }

    /** The channel's writability changed. */
    void writabilityChanged() {
        signal();
    }

    /** The stream is closed or its channel is gone: writers stop waiting. */
    void gone() {
        lock.lock();
        try {
            gone = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void reserve(int n, int writtenSoFar) throws IOException {
        lock.lock();
        try {
            while (true) {
                check();
                if (pending == 0 || (pending + n <= MAX_PENDING && channel.isWritable())) {
                    pending += n;
                    return;
                }
                changed.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException ie = new InterruptedIOException(
                    "interrupted while waiting for flow control on stream " + channel.streamId());
            ie.bytesTransferred = writtenSoFar;
            throw ie;
        } finally {
            lock.unlock();
        }
    }

    private void check() throws IOException {
        if (failure != null) {
            throw new IOException(failure.getMessage(), failure);
        }
        if (shutdown) {
            throw new IOException("output of stream " + channel.streamId() + " is shut down (FIN sent)");
        }
        if (gone) {
            throw new IOException("stream " + channel.streamId() + " is closed");
        }
    }

    private void done(int n, Future<?> f) {
        lock.lock();
        try {
            pending -= n;
            if (!f.isSuccess() && failure == null) {
                failure = describe(f.cause());
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (f.cause() instanceof ChannelOutputShutdownException
                && String.valueOf(f.cause().getMessage()).contains("STOP_SENDING")) {
            peerAbort.fire();
        }
    }

    private IOException describe(Throwable cause) {
        if (cause instanceof ChannelOutputShutdownException) {
            return new IOException("the peer stopped reading stream " + channel.streamId()
                    + " (STOP_SENDING): " + cause.getMessage(), cause);
        }
        return NettyFutures.ioException("writing to stream " + channel.streamId() + " failed", cause);
    }

    private void signal() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
