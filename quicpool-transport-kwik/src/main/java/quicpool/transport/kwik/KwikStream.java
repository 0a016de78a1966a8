// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import quicpool.api.spi.TransportStream;
import quicpool.transport.kwik.workaround.FinOutputStream;
import quicpool.transport.kwik.workaround.SenderThreadActions;
import tech.kwik.core.QuicStream;

/** A bidirectional Kwik stream behind the SPI: timed reads, FIN on close, credit returned on close. */
final class KwikStream implements TransportStream {

    private static final System.Logger LOG = System.getLogger("quicpool.transport.kwik");
    /** The application error code of STOP_SENDING when a stream is closed before the peer's FIN. */
    static final long STOP_SENDING_CODE = 0;

    private final QuicStream stream;
    private final TimedInputStream input;
    private final FinOutputStream output;

    /** @param senderThread where the output's close runs (see {@link SenderThreadActions}) */
    KwikStream(QuicStream stream, SenderThreadActions senderThread) {
        this.stream = stream;
        String name = "QUIC stream " + stream.getStreamId();
        this.input = new TimedInputStream(stream.getInputStream(), Workers.pool(), name,
                () -> stream.abortReading(STOP_SENDING_CODE));
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
     * FIN if not sent yet, then abort reading unless the peer's FIN was read: Kwik returns the
     * stream's credit to the peer once both directions are closed.
     */
    @Override
    public void close() {
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
