// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.socket.ChannelOutputShutdownException;
import io.netty.handler.codec.quic.DefaultQuicStreamFrame;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamFrame;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import quicpool.api.spi.OnceCallbacks;

/**
 * The blocking write side of a stream. Each write is copied into buffers that the event loop
 * hands to the channel; the writer blocks while {@link #MAX_PENDING} bytes are not yet taken by
 * quiche, or while the channel is not writable (the peer's flow-control window is used up) and
 * anything is pending. So a slow reader on the other end stops the writer here, and memory stays
 * bounded.
 *
 * <p>Buffers wait in {@link #unsent} until one hand-off task on the event loop takes them, so a
 * writer that outpaces the loop costs one task and one flush per batch, not per write. The task
 * keeps the newest buffer back until the next write, {@link #flush()}, the FIN, or {@link #HOLD}
 * after it was kept, whichever comes first; the FIN ({@link #sendFin()}) goes through the same
 * queue and leaves in the same STREAM frame as the last bytes. So a close right after a write
 * never hands quiche a FIN on its own. That matters with quiche as bundled in Netty 4.2.18, which
 * can lose a FIN handed over on its own while a retransmission of the same stream is pending
 * (RELIABILITY.md, open findings). A FIN requested more than {@link #HOLD} after the last write
 * still goes alone.
 */
final class StreamOutput extends OutputStream {

    static final int CHUNK = 32 * 1024;
    static final int MAX_PENDING = 128 * 1024;
    /** How long the newest written bytes may wait for a FIN, a flush or more bytes to join them. */
    static final Duration HOLD = Duration.ofMillis(1);
    private static final ByteBuf[] NONE = new ByteBuf[0];

    private final Duration hold;
    private final QuicStreamChannel channel;
    private final NettyStream owner;
    private final OnceCallbacks peerAbort;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    // Guarded by lock.
    private final ArrayDeque<ByteBuf> unsent = new ArrayDeque<>();
    private boolean handOffScheduled;
    private boolean flushWanted;
    private boolean holdExpiryScheduled;
    private boolean finWanted;
    private boolean finHandedOver;
    private long pending;
    private boolean shutdown;
    private boolean gone;
    private IOException failure;

    StreamOutput(QuicStreamChannel channel, NettyStream owner, OnceCallbacks peerAbort) {
        this(channel, owner, peerAbort, HOLD);
    }

    StreamOutput(QuicStreamChannel channel, NettyStream owner, OnceCallbacks peerAbort, Duration hold) {
        this.hold = hold;
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
            ByteBuf buf = channel.alloc().directBuffer(n).writeBytes(b, off + written, n);
            boolean schedule;
            try {
                schedule = reserveAndQueue(buf, written);
            } catch (IOException e) {
                buf.release();
                throw e;
            }
            if (schedule) {
                scheduleHandOff();
            }
            written += n;
        }
    }

    /** Hands every byte written so far to the event loop at once; reports an earlier write's failure. */
    @Override
    public void flush() throws IOException {
        boolean schedule = false;
        lock.lock();
        try {
            throwFailure();
            if (!unsent.isEmpty()) {
                flushWanted = true;
                schedule = claimHandOff();
            }
        } finally {
            lock.unlock();
        }
        if (schedule) {
            scheduleHandOff();
        }
    }

    /** Throws an earlier write's failure, if one failed. */
    void throwIfFailed() throws IOException {
        lock.lock();
        try {
            throwFailure();
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

    /**
     * Sends FIN after every byte written so far, with the last of them when they have not left yet.
     * Call {@link #markShutdown()} first, so that no write can follow. Only the first call sends.
     */
    void sendFin() {
        boolean schedule;
        lock.lock();
        try {
            if (finWanted) {
                return;
            }
            finWanted = true;
            schedule = claimHandOff();
        } finally {
            lock.unlock();
        }
        if (schedule) {
            scheduleHandOff();
        }
    }

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

    /** The stream is closed: writers stop waiting; what was written still leaves, with the FIN. */
    void gone() {
        lock.lock();
        try {
            gone = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The channel is inactive: nothing can leave any more, so what waits is released. */
    void channelInactive() {
        lock.lock();
        try {
            gone = true;
            releaseUnsent();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for room for {@code buf}, then queues it for the event loop.
     *
     * @return whether the caller must schedule the hand-off (none is scheduled yet)
     */
    private boolean reserveAndQueue(ByteBuf buf, int writtenSoFar) throws IOException {
        int n = buf.readableBytes();
        lock.lock();
        try {
            while (true) {
                check();
                if (pending == 0 || (pending + n <= MAX_PENDING && channel.isWritable())) {
                    pending += n;
                    unsent.add(buf);
                    return claimHandOff();
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

    /**
     * Marks a hand-off as scheduled; returns whether the caller must schedule it (none was yet).
     * Called with the lock held.
     */
    private boolean claimHandOff() {
        boolean first = !handOffScheduled;
        handOffScheduled = true;
        return first;
    }

    /** Throws an earlier write's failure, if one failed. Called with the lock held. */
    private void throwFailure() throws IOException {
        if (failure != null) {
            throw new IOException(failure.getMessage(), failure);
        }
    }

    private void check() throws IOException {
        throwFailure();
        if (shutdown) {
            throw new IOException("output of stream " + channel.streamId() + " is shut down (FIN sent)");
        }
        if (gone) {
            throw new IOException("stream " + channel.streamId() + " is closed");
        }
    }

    private void scheduleHandOff() {
        try {
            channel.eventLoop().execute(this::handOff);
        } catch (RejectedExecutionException e) {
            // The event loop is gone, and with it the connection: nothing written can leave.
            lock.lock();
            try {
                releaseUnsent();
                if (failure == null) {
                    failure = new IOException("stream " + channel.streamId() + " is closed: its connection's event"
                            + " loop has shut down", e);
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * On the event loop: hands the queued buffers to the channel in order, all of them when a
     * flush or the FIN is wanted (the FIN with the last of them, or alone), else all but the
     * newest, which waits at most the hold; then flushes once.
     */
    private void handOff() {
        ByteBuf[] bufs;
        boolean fin;
        boolean expireHold;
        lock.lock();
        try {
            handOffScheduled = false;
            boolean all = finWanted || flushWanted;
            flushWanted = false;
            bufs = pollUnsent(NONE, all ? unsent.size() : Math.max(0, unsent.size() - 1));
            fin = finWanted && !finHandedOver;
            finHandedOver |= fin;
            expireHold = !unsent.isEmpty() && !holdExpiryScheduled;
            holdExpiryScheduled |= expireHold;
        } finally {
            lock.unlock();
        }
        if (expireHold && !scheduleHoldExpiry()) {
            bufs = withUnsent(bufs); // the loop is shutting down: nothing may wait for it
        }
        if (bufs.length == 0 && !fin) {
            return;
        }
        for (int i = 0; i < bufs.length; i++) {
            ByteBuf buf = bufs[i];
            int n = buf.readableBytes();
            Object msg = fin && i == bufs.length - 1 ? new DefaultQuicStreamFrame(buf, true) : buf;
            channel.write(msg).addListener(f -> done(n, f));
        }
        if (fin && bufs.length == 0) {
            channel.write(QuicStreamFrame.EMPTY_FIN);
        }
        channel.flush();
    }

    private boolean scheduleHoldExpiry() {
        try {
            channel.eventLoop().schedule(this::holdExpired, hold.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    private ByteBuf[] withUnsent(ByteBuf[] bufs) {
        lock.lock();
        try {
            holdExpiryScheduled = false;
            return pollUnsent(bufs, unsent.size());
        } finally {
            lock.unlock();
        }
    }

    /** {@code before}, then the next {@code n} buffers taken from {@link #unsent}. Called with the lock held. */
    private ByteBuf[] pollUnsent(ByteBuf[] before, int n) {
        ByteBuf[] all = Arrays.copyOf(before, before.length + n);
        for (int i = before.length; i < all.length; i++) {
            all[i] = unsent.poll();
        }
        return all;
    }

    /** On the event loop: bytes kept back for the hold leave. */
    private void holdExpired() {
        lock.lock();
        try {
            holdExpiryScheduled = false;
            if (unsent.isEmpty()) {
                return;
            }
            flushWanted = true;
        } finally {
            lock.unlock();
        }
        handOff();
    }

    /** Releases buffers no hand-off will take. Called with the lock held. */
    private void releaseUnsent() {
        for (ByteBuf buf; (buf = unsent.poll()) != null; ) {
            pending -= buf.readableBytes();
            buf.release();
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
