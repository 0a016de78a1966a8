// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import quicpool.api.spi.OnceCallbacks;
import quicpool.api.spi.TransportStream;
import quicpool.transport.kwik.workaround.FinOutputStream;
import quicpool.transport.kwik.workaround.PeerAbortWatch;
import quicpool.transport.kwik.workaround.SenderThreadActions;
import tech.kwik.core.QuicStream;

/**
 * A bidirectional Kwik stream behind the SPI: timed reads, FIN on close, credit returned on close,
 * and the peer's STOP_SENDING reported to {@link #onPeerAbort} by the connection's {@link
 * PeerAbortWatch}.
 */
final class KwikStream implements TransportStream {

    private static final System.Logger LOG = System.getLogger("quicpool.transport.kwik");
    /** The application error code of STOP_SENDING when a stream is closed before the peer's FIN. */
    static final long STOP_SENDING_CODE = 0;

    private final QuicStream stream;
    private final TimedInputStream input;
    private static final System.Logger PEER_ABORT_LOG = System.getLogger("quicpool.transport.kwik.PeerAbort");
    /** Stands for "no watch yet" in {@link #unwatch}; a closed stream holds {@link #CLOSED}. */
    private static final Runnable NOT_WATCHED = () -> { };
    private static final Runnable CLOSED = () -> { };

    private final FinOutputStream output;
    private final PeerAbortWatch watch;
    private final OnceCallbacks peerAbort = new OnceCallbacks(PEER_ABORT_LOG, "peer-abort");
    /** Stops the watch of this stream: {@link #NOT_WATCHED} until a callback is registered. */
    private final AtomicReference<Runnable> unwatch = new AtomicReference<>(NOT_WATCHED);

    /**
     * @param senderThread where the output's close runs (see {@link SenderThreadActions})
     * @param watch        reports the peer's STOP_SENDING once a callback is registered; null for
     *                     a stream that is closed at once
     * @param connectionEnd why the stream's connection ended, once it has (named by failed reads)
     */
    KwikStream(QuicStream stream, SenderThreadActions senderThread, PeerAbortWatch watch,
               Supplier<Optional<String>> connectionEnd) {
        this.stream = stream;
        this.watch = watch;
        String name = "QUIC stream " + stream.getStreamId();
        this.input = new TimedInputStream(stream.getInputStream(), Workers.pool(), name,
                () -> stream.abortReading(STOP_SENDING_CODE), connectionEnd);
        this.output = new FinOutputStream(stream.getOutputStream(), senderThread);
    }

    @Override
    public long streamId() {
        return stream.getStreamId();
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
    public void shutdownOutput() {
        output.close();
    }

    /**
     * Runs {@code callback} once the peer asked this end to stop sending (STOP_SENDING, as a Kwik
     * peer's close of a stream does while this end's FIN is not yet through), within one check
     * period of the connection's {@link PeerAbortWatch}; at once if that was already seen. Not
     * seen: a peer's FIN alone (see {@link PeerAbortWatch}), nor STOP_SENDING once this end sent
     * its FIN.
     */
    @Override
    public void onPeerAbort(Runnable callback) {
        peerAbort.add(callback);
        if (watch != null && unwatch.get() == NOT_WATCHED) {
            Runnable stop = watch.watch(output::peerStopped, peerAbort::fire);
            if (!unwatch.compareAndSet(NOT_WATCHED, stop)) {
                stop.run(); // closed meanwhile, or another registration won
            }
        }
    }

    /**
     * FIN if not sent yet, then abort reading unless the peer's FIN was read: Kwik returns the
     * stream's credit to the peer once both directions are closed.
     */
    @Override
    public void close() {
        unwatch.getAndSet(CLOSED).run();
        output.close(); // FIN, sent by Kwik's sender thread; a failure there is logged there
        try {
            input.close();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "abort reading on stream " + streamId() + " failed", e);
        }
    }

    @Override
    public String toString() {
        return "KwikStream[" + streamId() + "]";
    }
}
