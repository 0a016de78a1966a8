// SPDX-License-Identifier: Apache-2.0
package quicpool.testkit;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One direction of an in-memory stream: a bounded byte buffer between one writer end and one
 * reader end, standing in for QUIC's per-stream flow control. The buffer grows on demand up to
 * its capacity, so idle streams cost no memory.
 *
 * <p>The pipe is <em>terminal</em> (its share of the stream's credit is free) once the reader
 * has seen the FIN (read -1), the reader stopped it, or it failed.
 */
final class Pipe {
    private static final byte[] EMPTY = new byte[0];
    private static final int INITIAL = 4096;
    /** A drained buffer larger than this is dropped, so that thousands of idle streams stay small. */
    private static final int KEEP = 64 * 1024;

    private final String label;
    private final int capacity;
    private final Runnable onTerminal;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition readable = lock.newCondition();
    private final Condition writable = lock.newCondition();

    private byte[] buf = EMPTY;
    private int head;
    private int size;
    private boolean fin;
    private boolean eofDelivered;
    private boolean stopped;
    private IOException failure;
    private boolean terminalReported;
    private Runnable stopListener;

    /**
     * @param label      names the stream in exception messages
     * @param capacity   the most bytes buffered before a writer blocks
     * @param onTerminal run once (outside the lock) when the pipe becomes terminal
     */
    Pipe(String label, int capacity, Runnable onTerminal) {
        if (capacity < 1) {
            throw new IllegalArgumentException("pipe capacity must be at least 1 byte, was " + capacity);
        }
        this.label = label;
        this.capacity = capacity;
        this.onTerminal = onTerminal;
    }

    int capacity() {
        return capacity;
    }

    /** Writes all of {@code b[off, off+len)}, blocking while the buffer is full. */
    void write(byte[] b, int off, int len) throws IOException {
        lockInterruptibly();
        try {
            while (len > 0) {
                if (failure != null) {
                    throw copy(failure);
                }
                if (stopped) {
                    throw new IOException(label + " stopped by the peer (STOP_SENDING): it reads no more");
                }
                if (fin) {
                    throw new IOException(label + " output is shut down (FIN sent)");
                }
                int free = capacity - size;
                if (free == 0) {
                    awaitInterruptibly(writable);
                    continue;
                }
                int n = Math.min(free, len);
                put(b, off, n);
                off += n;
                len -= n;
                readable.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Reads up to {@code len} bytes, blocking while the buffer is empty.
     *
     * @param timeoutNanos the most to wait, 0 for no bound
     * @return the bytes read, or -1 after the FIN
     */
    int read(byte[] b, int off, int len, long timeoutNanos) throws IOException {
        if (len == 0) {
            return 0;
        }
        boolean terminal = false;
        lockInterruptibly();
        try {
            long remaining = timeoutNanos;
            while (true) {
                if (failure != null) {
                    throw copy(failure);
                }
                if (stopped) {
                    throw new IOException(label + " is closed");
                }
                if (size > 0) {
                    int n = take(b, off, len);
                    writable.signalAll();
                    return n;
                }
                if (fin) {
                    eofDelivered = true;
                    terminal = markTerminal();
                    return -1;
                }
                if (timeoutNanos == 0) {
                    awaitInterruptibly(readable);
                } else {
                    if (remaining <= 0) {
                        throw new SocketTimeoutException(label + ": read timed out after "
                                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
                    }
                    try {
                        remaining = readable.awaitNanos(remaining);
                    } catch (InterruptedException e) {
                        throw interrupted();
                    }
                }
            }
        } finally {
            lock.unlock();
            if (terminal) {
                onTerminal.run();
            }
        }
    }

    /** Bytes buffered and not read yet. */
    int available() {
        lock.lock();
        try {
            return failure != null || stopped ? 0 : size;
        } finally {
            lock.unlock();
        }
    }

    /** The writer's FIN: the reader gets -1 after the buffered bytes. Idempotent. */
    void finish() {
        lock.lock();
        try {
            fin = true;
            readable.signalAll();
            writable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code listener} once when the reader stops the pipe (the writer's STOP_SENDING); at once if it has. */
    void onStopped(Runnable listener) {
        boolean now;
        lock.lock();
        try {
            now = stopped;
            if (!now) {
                stopListener = listener;
            }
        } finally {
            lock.unlock();
        }
        if (now) {
            listener.run();
        }
    }

    /** The reader stops: buffered and later bytes are discarded, the writer's writes fail. Idempotent. */
    void stop() {
        boolean terminal;
        Runnable listener;
        lock.lock();
        try {
            listener = stopped ? null : stopListener;
            stopListener = null;
            stopped = true;
            discard();
            terminal = markTerminal();
            readable.signalAll();
            writable.signalAll();
        } finally {
            lock.unlock();
        }
        if (terminal) {
            onTerminal.run();
        }
        if (listener != null) {
            listener.run();
        }
    }

    /** Fails every pending and later operation of both ends with {@code cause}. Keeps the first cause. */
    void fail(IOException cause) {
        boolean terminal;
        lock.lock();
        try {
            if (failure == null) {
                failure = cause;
            }
            discard();
            terminal = markTerminal();
            readable.signalAll();
            writable.signalAll();
        } finally {
            lock.unlock();
        }
        if (terminal) {
            onTerminal.run();
        }
    }

    private boolean markTerminal() {
        if (terminalReported) {
            return false;
        }
        terminalReported = true;
        return true;
    }

    private void put(byte[] b, int off, int n) {
        if (buf.length - size < n) {
            grow(size + n);
        }
        int tail = (head + size) % buf.length;
        int first = Math.min(n, buf.length - tail);
        System.arraycopy(b, off, buf, tail, first);
        System.arraycopy(b, off + first, buf, 0, n - first);
        size += n;
    }

    private int take(byte[] b, int off, int len) {
        int n = Math.min(len, size);
        int first = Math.min(n, buf.length - head);
        System.arraycopy(buf, head, b, off, first);
        System.arraycopy(buf, 0, b, off + first, n - first);
        head = (head + n) % buf.length;
        size -= n;
        if (size == 0) {
            head = 0;
            if (buf.length > KEEP) {
                buf = EMPTY;
            }
        }
        return n;
    }

    private void grow(int needed) {
        int length = Math.max(INITIAL, buf.length);
        while (length < needed) {
            length = length > capacity / 2 ? capacity : length * 2;
        }
        length = Math.min(length, capacity);
        byte[] bigger = new byte[length];
        int first = Math.min(size, buf.length - head);
        System.arraycopy(buf, head, bigger, 0, first);
        System.arraycopy(buf, 0, bigger, first, size - first);
        buf = bigger;
        head = 0;
    }

    private void discard() {
        buf = EMPTY;
        head = 0;
        size = 0;
    }

    private void lockInterruptibly() throws InterruptedIOException {
        try {
            lock.lockInterruptibly();
        } catch (InterruptedException e) {
            throw interrupted();
        }
    }

    private void awaitInterruptibly(Condition condition) throws InterruptedIOException {
        try {
            condition.await();
        } catch (InterruptedException e) {
            throw interrupted();
        }
    }

    private InterruptedIOException interrupted() {
        Thread.currentThread().interrupt();
        return new InterruptedIOException(label + ": interrupted");
    }

    /** A fresh exception per throw, so that each thrower gets its own stack trace. */
    private static IOException copy(IOException cause) {
        return new IOException(cause.getMessage(), cause);
    }
}
