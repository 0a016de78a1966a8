// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import quicpool.transport.kwik.workaround.DirectRead;

/**
 * A Kwik stream's input with a read timeout that leaves the stream usable.
 *
 * <p>Kwik's stream input has one read timeout for the whole JVM and ignores interrupts while it
 * waits. Where Kwik's stream internals can be reached, a read waits on the caller's thread
 * through {@link DirectRead}: bounded, interruptible, with Kwik's interrupts kept off the caller.
 * Elsewhere (Kwik's package closed to this module, or a virtual thread before Java 24), a read
 * that finds no bytes ready hands the wait to a worker thread, which reads into a buffer of its
 * own, and waits on a condition. If the time runs out, the worker's read stays pending and
 * whatever it brings is served by the next read, in order: no byte is lost. Bytes already
 * buffered by Kwik are read directly, without a worker.
 *
 * <p>Also remembers the end of the input: Kwik returns stream credit to the peer each time a read
 * reports the end, or reading is aborted, so this reads the end from Kwik only once.
 *
 * <p>A read that fails because Kwik failed names the stream and, once known, why its connection
 * ended: Kwik's own words ("Connection closed") do not say whether the peer closed it, the idle
 * timeout ended it or the keep-alive found the path dead.
 */
final class TimedInputStream extends InputStream {

    /** A worker's read returns what arrived when it woke, usually one frame (about 1.2 kB). */
    private static final int BUFFER_SIZE = 8 * 1024;

    private final InputStream source;
    private final Executor workers;
    private final String name;
    private final Runnable abortSource;
    private final Supplier<Optional<String>> connectionEnd;
    /** Reads on the caller's thread; null where Kwik's internals cannot be reached. */
    private final DirectRead direct;
    private final BooleanSupplier closedCheck = () -> this.closed;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private volatile long timeoutNanos;

    // Guarded by lock. Bytes a worker read that no read has taken yet: pumpBuffer[carryStart, carryEnd).
    private byte[] pumpBuffer;
    private int carryStart;
    private int carryEnd;
    private long taken;
    private boolean pumping;
    private boolean endOfInput;
    private IOException failure;
    private volatile boolean closed; // written under lock; read without it by a direct read's wait

    /**
     * @param abortSource   tells Kwik to stop reading (STOP_SENDING); run by {@link #close()} unless
     *                      the input has already ended
     * @param connectionEnd why the stream's connection ended, once it has
     */
    TimedInputStream(InputStream source, Executor workers, String name, Runnable abortSource,
                     Supplier<Optional<String>> connectionEnd) {
        this.source = source;
        this.workers = workers;
        this.name = name;
        this.abortSource = abortSource;
        this.connectionEnd = connectionEnd;
        this.direct = DirectRead.of(source, workers);
    }

    /** Bounds later blocking reads; zero means no bound. */
    void setTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("read timeout must be zero (no bound) or positive, was " + timeout);
        }
        timeoutNanos = timeout.isZero() ? 0 : Math.max(1, saturatedNanos(timeout));
    }

    /** True once the peer's FIN was read or the input failed (reset, connection closed). */
    boolean finished() {
        lock.lock();
        try {
            return endOfInput || failure != null;
        } finally {
            lock.unlock();
        }
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
        if (direct != null && DirectRead.suitsCurrentThread()) {
            int n = readDirect(b, off, len);
            if (n != USE_WORKER) {
                return n;
            }
        }
        long timeout = timeoutNanos;
        long start = System.nanoTime();
        lock.lock();
        try {
            while (true) {
                if (closed) {
                    throw new IOException(name + " is closed");
                }
                if (carryStart < carryEnd) {
                    int n = Math.min(len, carryEnd - carryStart);
                    System.arraycopy(pumpBuffer, carryStart, b, off, n);
                    carryStart += n;
                    taken += n;
                    if (carryStart == carryEnd) {
                        pumpBuffer = null; // idle streams hold no buffer
                    }
                    return n;
                }
                if (failure != null) {
                    throw failed();
                }
                if (endOfInput) {
                    return -1;
                }
                if (!pumping) {
                    if (source.available() > 0) {
                        return readReady(b, off, len);
                    }
                    startPump();
                }
                awaitChange(start, timeout);
            }
        } finally {
            lock.unlock();
        }
    }

    private static final int USE_WORKER = Integer.MIN_VALUE;

    /**
     * A read on the caller's thread, or {@link #USE_WORKER} while a worker's read is pending or has
     * left bytes, which are served first, in order.
     */
    private int readDirect(byte[] b, int off, int len) throws IOException {
        long timeout = timeoutNanos;
        lock.lock();
        try {
            if (closed) {
                throw new IOException(name + " is closed");
            }
            if (pumping || carryStart < carryEnd) {
                return USE_WORKER;
            }
            if (failure != null) {
                throw failed();
            }
            if (endOfInput) {
                return -1;
            }
        } finally {
            lock.unlock();
        }
        int n;
        try {
            n = direct.read(b, off, len, timeout, closedCheck);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading " + name);
        }
        lock.lock();
        try {
            if (n >= 0) {
                taken += n;
                return n;
            }
            if (closed) {
                throw new IOException(name + " is closed");
            }
            switch (n) {
                case -1:
                    endOfInput = true;
                    return -1;
                case DirectRead.TIMED_OUT:
                    throw timedOut(timeout);
                case DirectRead.READING_STOPPED:
                    return readReady(b, off, len); // Kwik's read throws at once, saying why
                default:
                    throw new IllegalStateException("unexpected direct read result " + n);
            }
        } finally {
            lock.unlock();
        }
    }

    private SocketTimeoutException timedOut(long timeout) {
        return new SocketTimeoutException("no bytes on " + name + " within "
                + Duration.ofNanos(timeout).toMillis() + " ms (" + taken + " bytes read before it, no FIN received)");
    }

    /** Reads bytes Kwik already holds: its read returns at once. Called with the lock held. */
    private int readReady(byte[] b, int off, int len) throws IOException {
        int n;
        try {
            n = source.read(b, off, len);
        } catch (IOException e) {
            failure = e;
            throw failed();
        }
        if (n < 0) {
            endOfInput = true;
        } else {
            taken += n;
        }
        return n;
    }

    /** The input's failure, for one read: its own exception, so that each read's stack shows its caller. */
    private IOException failed() {
        return new ReadFailure(name + ": " + failure.getMessage(), failure, connectionEnd);
    }

    /**
     * A failed read, whose message names why the connection ended once that is known: Kwik aborts
     * a connection's streams before its end event reaches the transport, so the reason is read
     * when the message is.
     */
    private static final class ReadFailure extends IOException {
        private static final long serialVersionUID = 1L;
        private final transient Supplier<Optional<String>> connectionEnd;

        ReadFailure(String message, IOException cause, Supplier<Optional<String>> connectionEnd) {
            super(message, cause);
            this.connectionEnd = connectionEnd;
        }

        @Override
        public String getMessage() {
            String why = connectionEnd == null ? "" : connectionEnd.get().map(end -> "; the connection ended: " + end)
                    .orElse("");
            return super.getMessage() + why;
        }
    }

    private void startPump() {
        byte[] buffer = new byte[BUFFER_SIZE];
        pumping = true;
        workers.execute(() -> pump(buffer));
    }

    /** Runs on a worker: one blocking read from Kwik into its own buffer. */
    private void pump(byte[] buffer) {
        int n = 0;
        IOException error = null;
        try {
            n = source.read(buffer, 0, buffer.length);
        } catch (IOException e) {
            error = e;
        } catch (RuntimeException e) {
            error = new IOException(name + ": Kwik failed while reading", e);
        }
        lock.lock();
        try {
            pumping = false;
            if (error != null) {
                failure = error;
            } else if (n < 0) {
                endOfInput = true;
            } else if (!closed && n > 0) {
                pumpBuffer = buffer;
                carryStart = 0;
                carryEnd = n;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void awaitChange(long start, long timeout) throws IOException {
        try {
            if (timeout == 0) {
                changed.await();
                return;
            }
            long left = timeout - (System.nanoTime() - start);
            if (left <= 0) {
                throw timedOut(timeout);
            }
            changed.awaitNanos(left);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading " + name);
        }
    }

    @Override
    public int available() throws IOException {
        lock.lock();
        try {
            if (carryStart < carryEnd) {
                return carryEnd - carryStart;
            }
            return pumping || closed || endOfInput || failure != null ? 0 : source.available();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops reading: later reads fail, a waiting read wakes and fails, and unless the input has
     * already ended Kwik is told to abort reading (the peer gets STOP_SENDING; a pending worker
     * read ends). Idempotent.
     */
    @Override
    public void close() {
        boolean abort;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            carryStart = carryEnd;
            pumpBuffer = null;
            abort = !endOfInput && failure == null;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (abort) {
            abortSource.run();
        }
        if (direct != null) {
            direct.wake();
        }
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

}
