// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import quicpool.transport.kwik.workaround.SenderThreadActions;
import quicpool.transport.kwik.workaround.StreamCredit;
import tech.kwik.core.QuicConnection;
import tech.kwik.core.QuicStream;

/**
 * Opens bidirectional streams with a bounded wait for stream credit.
 *
 * <p>While the peer's credit allows a stream, it is opened on the caller's thread ({@link
 * StreamCredit}, from the connection's first stream on, where Kwik's stream package is readable).
 * Otherwise: Kwik's {@code createStream(true)} waits up to 10,000 days for credit, even after the
 * connection has closed, and turns an interrupt into a bare {@code RuntimeException}. So it runs
 * on a worker while the caller waits on a future, bounded and interruptible. A caller that gives
 * up interrupts the worker; a stream Kwik creates after all is closed at once, so its credit
 * comes back.
 */
final class StreamOpener {

    private final QuicConnection connection;
    private final ExecutorService workers;
    private final int peerLimitHint;
    private final Set<CompletableFuture<QuicStream>> pending = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    /** Opens without waiting where there is credit; null until a worker opened the first stream. */
    private volatile StreamCredit credit;

    /**
     * @param peerLimitHint the stream limit the peer is expected to grant, for error messages
     */
    StreamOpener(QuicConnection connection, ExecutorService workers, int peerLimitHint) {
        this.connection = connection;
        this.workers = workers;
        this.peerLimitHint = peerLimitHint;
    }

    QuicStream open(Duration timeout) throws IOException, InterruptedException {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative, was " + timeout);
        }
        if (closed) {
            throw new IOException("cannot open a stream: the connection is closed");
        }
        StreamCredit now = credit;
        if (now != null) {
            QuicStream stream = now.tryOpen();
            if (stream != null) {
                return stream;
            }
        }
        CompletableFuture<QuicStream> result = new CompletableFuture<>();
        pending.add(result);
        Future<?> task;
        try {
            task = workers.submit(() -> create(result));
        } catch (RuntimeException e) {
            pending.remove(result);
            throw new IOException("cannot open a stream: no worker thread", e);
        }
        if (closed) {
            result.completeExceptionally(new IOException("cannot open a stream: the connection is closed"));
        }
        try {
            return result.get(Math.max(0, toNanos(timeout)), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            if (result.completeExceptionally(new IOException("gave up"))) {
                task.cancel(true);
                throw new IOException("no stream credit from the peer within " + timeout.toMillis()
                        + " ms (the peer allows about " + peerLimitHint + " open streams; close streams to free credit)");
            }
            return takeRaced(result, task);
        } catch (InterruptedException e) {
            if (result.completeExceptionally(new IOException("interrupted"))) {
                task.cancel(true);
                throw e;
            }
            Thread.currentThread().interrupt();
            return takeRaced(result, task);
        } catch (ExecutionException e) {
            task.cancel(true);
            throw asIoException(e.getCause());
        } finally {
            pending.remove(result);
        }
    }

    /** Runs on a worker. */
    private void create(CompletableFuture<QuicStream> result) {
        QuicStream stream;
        try {
            stream = connection.createStream(true);
        } catch (IOException e) {
            // Kwik may see the connection end before connectionClosed() runs; it then says "not connected".
            String why = closed || "not connected".equals(e.getMessage())
                    ? "the connection is closed (" + e.getMessage() + ")" : e.getMessage();
            result.completeExceptionally(new IOException("cannot open a stream: " + why, e));
            return;
        } catch (RuntimeException e) {
            // Also how Kwik reports the interrupt of a caller that gave up.
            result.completeExceptionally(new IOException("Kwik failed to create a stream", e));
            return;
        }
        if (credit == null) {
            credit = StreamCredit.of(stream);
        }
        if (!result.complete(stream)) {
            new KwikStream(stream, SenderThreadActions.DIRECT, null, Optional::empty).close();
        }
    }

    /** The outcome that came just as the caller gave up: a stream the caller takes after all, or a failure. */
    private static QuicStream takeRaced(CompletableFuture<QuicStream> result, Future<?> task) throws IOException {
        try {
            return result.getNow(null);
        } catch (RuntimeException e) {
            task.cancel(true);
            throw asIoException(e.getCause() != null ? e.getCause() : e);
        }
    }

    /** Fails every waiting open at once: the connection has ended. */
    void connectionClosed() {
        closed = true;
        for (CompletableFuture<QuicStream> f : pending) {
            f.completeExceptionally(new IOException("cannot open a stream: the connection is closed"));
        }
    }

    private static IOException asIoException(Throwable t) {
        if (t instanceof IOException) {
            IOException e = (IOException) t;
            return new IOException(e.getMessage(), e);
        }
        return new IOException(String.valueOf(t), t);
    }

    private static long toNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
