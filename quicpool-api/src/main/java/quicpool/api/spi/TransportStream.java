// SPDX-License-Identifier: Apache-2.0
package quicpool.api.spi;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;

/**
 * One bidirectional QUIC stream with blocking views. One thread may read while another writes.
 * A read that blocks must not hold a transport event-loop thread.
 */
public interface TransportStream extends AutoCloseable {

    /** The QUIC stream ID. */
    long streamId();

    /**
     * The peer's bytes. {@code read} returns -1 after the peer's FIN, throws {@link
     * java.net.SocketTimeoutException} after the {@link #setReadTimeout(Duration) read timeout}
     * (the stream stays usable) and {@link IOException} if the stream is reset or its connection ends.
     */
    InputStream inputStream();

    /** Bytes to the peer; blocks while flow control allows no more. {@code close()} sends FIN. */
    OutputStream outputStream();

    /** Bounds later blocking reads; {@link Duration#ZERO} means no bound. */
    void setReadTimeout(Duration timeout);

    /** Sends FIN after the bytes already written. Idempotent. */
    void shutdownOutput() throws IOException;

    /**
     * Registers a callback run once when the peer abandons the stream: it resets its sending side
     * (RESET_STREAM) or asks this end to stop sending (STOP_SENDING), as a peer's {@link #close()}
     * does before its FIN was answered; a transport whose idle end cannot see those (it neither
     * reads nor writes) may instead run it when the peer ends its sending side (FIN) with every
     * byte before it read here. A pool uses it to evict an idle stream whose other end is gone, and
     * ignores it for a stream in use. Runs at once if that already happened; may run on a transport
     * thread and must not block. A transport that claims {@link Capability#PEER_ABORT} calls it; one that does not may
     * never call it (the default ignores it).
     */
    default void onPeerAbort(Runnable callback) {
    }

    /**
     * Closes both directions (FIN if not sent yet; the peer is told to stop sending if its FIN
     * has not arrived, at once or after a bounded linger for that FIN, as the transport's stack
     * needs to release the stream's state). Releases the stream's credit. Idempotent; never throws.
     */
    @Override
    void close();
}
