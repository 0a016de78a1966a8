// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The blocking read side of a stream: a bounded queue of the buffers the event loop received.
 *
 * <p>The channel reads only on demand (auto-read off). While fewer than {@link #HIGH_WATER} bytes
 * are queued the event loop asks for more after each buffer; above it reading pauses, quiche stops
 * widening the peer's flow-control window, and the peer blocks. The reader resumes reading once it
 * has drained the queue below {@link #LOW_WATER}. Memory per stream thus stays below the stream
 * window plus {@code HIGH_WATER} plus one buffer.
 *
 * <p>A waiting reader is woken by a task on the event loop, not by {@link #offer}: the codec hands
 * a stream its bytes after every datagram, and quiche sends busy streams one packet each in turn,
 * so waking in {@code offer} would cost a wake-up (a {@code futex} call at each end) per packet.
 * The task runs once the loop has processed the datagrams it read together, so a reader is woken
 * once per batch and finds every buffer of it queued.
 */
final class StreamInput extends InputStream {

    static final int HIGH_WATER = 128 * 1024;
    static final int LOW_WATER = 32 * 1024;

    private final QuicStreamChannel channel;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<ByteBuf> queue = new ArrayDeque<>();
    private final Runnable wakeTask = this::wake;
    private long queued;
    private long taken;
    private boolean paused;
    private boolean fin;
    private IOException failure;
    private boolean closed;
    private boolean wakeScheduled;
    private volatile long timeoutNanos;

    StreamInput(QuicStreamChannel channel) {
        this.channel = channel;
    }

    // ---- event-loop side

    /**
     * Queues a received buffer (taking ownership).
     *
     * @return whether the channel should read more now
     */
    boolean offer(ByteBuf buf) {
        boolean wake;
        boolean more;
        lock.lock();
        try {
            if (closed) {
                buf.release();
                return true; // drained and dropped until the peer's FIN, see NettyStream#close()
            }
            if (fin || failure != null || !buf.isReadable()) {
                buf.release();
                return !fin && failure == null && !paused;
            }
            queue.add(buf);
            queued += buf.readableBytes();
            wake = !wakeScheduled && lock.hasWaiters(changed);
            wakeScheduled |= wake;
            more = queued < HIGH_WATER;
            paused |= !more;
        } finally {
            lock.unlock();
        }
        if (wake) {
            scheduleWake();
        }
        return more;
    }

    private void scheduleWake() {
        try {
            channel.eventLoop().execute(wakeTask);
        } catch (RejectedExecutionException e) {
            wake(); // the loop is shutting down: no later task would run
        }
    }

    private void wake() {
        lock.lock();
        try {
            wakeScheduled = false;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The peer's FIN arrived: readers get -1 once the queue is drained.
     *
     * @return whether the peer's bytes were all read already (nothing queued, input neither closed
     *         nor failed): the FIN ended a stream nobody has bytes left to read from, as the peer's
     *         close of an idle stream does
     */
    boolean finished() {
        lock.lock();
        try {
            fin = true;
            changed.signalAll();
            return queue.isEmpty() && failure == null && !closed;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Reading can never complete normally (reset, connection ended). Unread bytes are dropped,
     * unless the FIN already arrived, in which case readers still get the rest and then -1.
     */
    void failed(IOException cause) {
        failed(() -> cause);
    }

    /**
     * {@link #failed(IOException)}, the cause made only if it is kept: a stream whose FIN already
     * arrived (every stream that ended normally, when its channel goes inactive) costs no
     * exception and no stack trace.
     */
    void failed(Supplier<IOException> cause) {
        lock.lock();
        try {
            if (fin || failure != null) {
                return;
            }
            failure = cause.get();
            releaseQueued();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    // ---- reader side

    void setTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("read timeout must be zero (no bound) or positive, was " + timeout);
        }
        timeoutNanos = timeout.toNanos();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        boolean resume = false;
        lock.lock();
        try {
            long timeout = timeoutNanos;
            long remaining = timeout;
            while (queue.isEmpty()) {
                if (closed) {
                    throw new IOException("stream " + channel.streamId() + " is closed");
                }
                if (fin) {
                    return -1;
                }
                if (failure != null) {
                    throw new IOException(failure.getMessage(), failure);
                }
                if (timeout == 0) {
                    changed.await();
                } else {
                    if (remaining <= 0) {
                        throw new SocketTimeoutException("no bytes on stream " + channel.streamId() + " within "
                                + TimeUnit.NANOSECONDS.toMillis(timeout) + " ms (" + taken
                                + " bytes read before it, no FIN received)");
                    }
                    remaining = changed.awaitNanos(remaining);
                }
            }
            int copied = 0;
            while (copied < len && !queue.isEmpty()) {
                ByteBuf head = queue.peek();
                int n = Math.min(len - copied, head.readableBytes());
                head.readBytes(b, off + copied, n);
                copied += n;
                if (!head.isReadable()) {
                    queue.poll().release();
                }
            }
            queued -= copied;
            taken += copied;
            if (paused && queued <= LOW_WATER) {
                paused = false;
                resume = true;
            }
            return copied;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading stream " + channel.streamId());
        } finally {
            lock.unlock();
            if (resume) {
                channel.read();
            }
        }
    }

    @Override
    public int available() {
        lock.lock();
        try {
            return (int) Math.min(Integer.MAX_VALUE, queued);
        } finally {
            lock.unlock();
        }
    }

    /** Bytes queued and not yet read; for tests. */
    long queuedBytes() {
        return available();
    }

    /**
     * Stops reading: drops what is queued, makes later reads fail, and from now on drops whatever
     * arrives (still reading it, so that the peer's FIN is seen). Does not talk to the peer;
     * {@link NettyStream#close()} does that.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            releaseQueued();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void releaseQueued() {
        ByteBuf b;
        while ((b = queue.poll()) != null) {
            b.release();
        }
        queued = 0;
    }
}
