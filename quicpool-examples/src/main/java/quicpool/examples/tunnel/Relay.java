// SPDX-License-Identifier: Apache-2.0
package quicpool.examples.tunnel;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import quicpool.api.StreamConn;

/**
 * Copies bytes both ways between a TCP socket and a pooled QUIC stream, one thread per direction:
 * the caller's for one, a task of an executor for the other.
 *
 * <p>End of input on one side is passed on as a half-close of the other: the socket's EOF becomes
 * the stream's FIN ({@link StreamConn#shutdownOutput()}) and the stream's FIN becomes
 * {@link Socket#shutdownOutput()}. When both directions have ended, or either fails, both sides
 * are closed. {@link #done()} completes then.
 *
 * <p>Each write is flushed, so that a user's bytes leave at once rather than up to a millisecond
 * later (see {@link StreamConn#outputStream()}): without the flushes the tunnel's p50 at 8 users on
 * Netty was 22.3-22.7 ms instead of 19.3 ms, and it used 15% more CPU (BENCHMARKS.md). The price:
 * the FIN of an EOF read after the last bytes have left goes on its own, which the Netty
 * transport's QUIC library can lose on a lossy path (RELIABILITY.md, open findings).
 */
final class Relay implements Closeable {
    private static final System.Logger LOG = System.getLogger("quicpool.examples.tunnel");
    /**
     * Per direction and connection: 16 KiB, not more, because a tunnel's connections are many and
     * short, and every one allocates (and zeroes) its two buffers anew.
     */
    private static final int BUFFER = 16 * 1024;

    private final Socket socket;
    private final StreamConn stream;
    private final AtomicInteger directionsLeft = new AtomicInteger(2);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    /** A relay of {@code socket} and {@code stream}; nothing moves until {@link #run}. */
    Relay(Socket socket, StreamConn stream) {
        this.socket = socket;
        this.stream = stream;
    }

    /** Which direction {@link #run} copies on the thread that calls it. */
    enum Here {
        /** The socket's bytes to the stream (the tunnel server: the user speaks first). */
        SOCKET_TO_STREAM,
        /** The stream's bytes to the socket (the tunnel client: the user's bytes wait in the stream). */
        STREAM_TO_SOCKET
    }

    /**
     * Relays: copies the direction {@code here} on the calling thread, returning when that
     * direction has ended (the other may still run), and the other direction on a task of
     * {@code executor}. Copying the direction whose bytes come first here spares them a hand-off
     * to another thread. The relay owns both the socket and the stream from now on.
     */
    void run(Executor executor, Here here) {
        Runnable toStream;
        Runnable toSocket;
        try {
            InputStream fromSocket = socket.getInputStream();
            OutputStream socketOut = socket.getOutputStream();
            toStream = () -> copy(fromSocket, stream.outputStream(), stream::shutdownOutput);
            toSocket = () -> copy(stream.inputStream(), socketOut, socket::shutdownOutput);
            executor.execute(here == Here.SOCKET_TO_STREAM ? toSocket : toStream);
        } catch (IOException | RuntimeException e) { // a closed socket, or an executor shut down
            LOG.log(Level.DEBUG, "relay of stream {0} could not start: {1}", stream.id(), e.toString());
            close();
            return;
        }
        (here == Here.SOCKET_TO_STREAM ? toStream : toSocket).run();
    }

    /** Completes when both sides are closed. */
    CompletableFuture<Void> done() {
        return done;
    }

    private void copy(InputStream in, OutputStream out, HalfClose halfClose) {
        byte[] buffer = new byte[BUFFER];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
            halfClose.shutdownOutput();
            if (directionsLeft.decrementAndGet() == 0) {
                close();
            }
        } catch (IOException e) {
            // The usual end of a connection that was reset or closed by the other direction.
            LOG.log(Level.DEBUG, "relay of stream {0} ends: {1}", stream.id(), e.toString());
            close();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "relay of stream " + stream.id() + " failed", e);
            close();
        }
    }

    /** Closes both sides at once; the copying threads end with an exception. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            stream.close();
            Lifecycle.closeQuietly(socket);
            done.complete(null);
        }
    }

    @FunctionalInterface
    private interface HalfClose {
        void shutdownOutput() throws IOException;
    }
}
