// SPDX-License-Identifier: Apache-2.0
package quicpool.bench.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The relay of the no-pool tunnel ({@link NoPoolServer}, {@link NoPoolClient}): copies bytes both
 * ways between a TCP socket and a raw QUIC stream, one thread per direction (the caller's for the
 * direction whose bytes come first, a task of an executor for the other), each writing and
 * flushing what one read returned, as the tunnel example's {@code Relay} does with a pooled stream
 * (which it alone takes). End of input on one side becomes a half-close of the other; once both
 * directions have ended, or either failed, both sides are closed and {@code onEnd} runs.
 */
final class StreamRelay {
    private static final System.Logger LOG = System.getLogger("quicpool.bench.e2e");
    private static final int BUFFER = 64 * 1024;

    private final Socket socket;
    private final Duplex stream;
    private final Runnable onEnd;
    private final AtomicInteger directionsLeft = new AtomicInteger(2);
    private final AtomicBoolean ended = new AtomicBoolean();

    private StreamRelay(Socket socket, Duplex stream, Runnable onEnd) {
        this.socket = socket;
        this.stream = stream;
        this.onEnd = onEnd;
    }

    /**
     * Relays, copying socket to stream on the calling thread if {@code socketToStreamHere} (else
     * stream to socket) until that direction ends, and the other direction on {@code executor}.
     * The relay owns the socket and the stream from now on.
     */
    static void run(Socket socket, Duplex stream, Executor executor, Runnable onEnd, boolean socketToStreamHere) {
        StreamRelay relay = new StreamRelay(socket, stream, onEnd);
        Runnable up;
        Runnable down;
        try {
            InputStream fromSocket = socket.getInputStream();
            OutputStream toSocket = socket.getOutputStream();
            up = () -> relay.pump(fromSocket, stream.out(), stream::shutdownOutput);
            down = () -> relay.pump(stream.in(), toSocket, socket::shutdownOutput);
            executor.execute(socketToStreamHere ? down : up);
        } catch (IOException | RuntimeException e) { // a closed socket, or an executor shut down
            LOG.log(System.Logger.Level.DEBUG, "no-pool relay could not start: " + e);
            relay.end();
            return;
        }
        (socketToStreamHere ? up : down).run();
    }

    private void pump(InputStream from, OutputStream to, Duplex.IoAction halfClose) {
        byte[] chunk = new byte[BUFFER];
        try {
            for (int n; (n = from.read(chunk)) >= 0; ) {
                to.write(chunk, 0, n);
                to.flush();
            }
            halfClose.run();
            if (directionsLeft.decrementAndGet() == 0) {
                end();
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "no-pool relay ends: " + e);
            end();
        }
    }

    private void end() {
        if (ended.compareAndSet(false, true)) {
            stream.close();
            try {
                socket.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing a relayed socket: " + e);
            }
            onEnd.run();
        }
    }
}
