// SPDX-License-Identifier: Apache-2.0
package quicpool.api.spi;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import quicpool.api.TlsInfo;

/** One QUIC connection, client or server side. Thread-safe. */
public interface TransportConnection {

    /**
     * Opens a bidirectional stream, waiting up to {@code timeout} for stream credit from the peer.
     * Server-side connections need not support it (a pool only opens streams as the client); such
     * a transport throws {@link IOException}.
     *
     * @throws IOException          if the connection is closed, or no credit came in time (the
     *                              message says which)
     * @throws InterruptedException if the calling thread is interrupted
     */
    TransportStream openStream(Duration timeout) throws IOException, InterruptedException;

    /** The local address. */
    InetSocketAddress localAddress();

    /** The peer's address. */
    InetSocketAddress remoteAddress();

    /** The TLS facts of this connection. */
    TlsInfo tlsInfo();

    /** False once the connection has ended for any reason. */
    boolean isOpen();

    /**
     * Why the connection ended, once it has: the peer's or this end's reason phrase with its
     * error code (such as {@code "application error 0: unauthorized IP"}), or the transport's
     * description of an idle timeout or failure. Empty while open, or if the transport cannot tell
     * (the default). A transport that claims {@link Capability#CLOSE_REASON} gives the peer's reason
     * phrase for a client connection the server closed.
     */
    default java.util.Optional<String> closeReason() {
        return java.util.Optional.empty();
    }

    /**
     * Registers a callback run once when the connection ends for any reason: closed by either
     * side, idle timeout, or a transport error. Runs at once if it has already ended. The callback
     * may run on a transport thread, or on the thread calling {@link #close}, and must not block.
     * {@link #isOpen()} returns false before any callback runs: the pool relies on that order to
     * evict a stream registered while its connection ended.
     */
    void onClose(Runnable callback);

    /**
     * Closes the connection with an application error code and a reason phrase. Idempotent.
     *
     * @param applicationErrorCode 0 to 2^31-1 (every transport supports that range; the pool uses 0)
     * @throws IllegalArgumentException if the code is outside what the transport supports
     */
    void close(long applicationErrorCode, String reason);
}
