// SPDX-License-Identifier: Apache-2.0
package quicpool.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * A pooled, handshaken, bidirectional QUIC stream: the Java counterpart of the {@code net.Conn}
 * that vistone/quic, the Go library quicpool is a port of, hands out.
 *
 * <p>Addresses and TLS facts are those of the stream's own QUIC connection. Reading and writing
 * follow {@link InputStream} and {@link OutputStream}; one thread may read while another writes.
 * {@link #close()} is idempotent and thread-safe.
 */
public interface StreamConn extends AutoCloseable {

    /** The stream's pool ID: 8 lowercase hex characters, the same on both ends. */
    String id();

    /** The bytes the peer writes; {@code read} returns -1 after the peer's half-close. */
    InputStream inputStream();

    /**
     * The bytes to the peer. {@code close()} on it is a half-close, like {@link #shutdownOutput()}.
     * A transport may keep the newest bytes written back for a moment (the Netty transport for at
     * most 1 ms), so that more bytes or the FIN of a close right after them leave in the same
     * packet; {@code flush()} hands everything written so far to the transport at once. No flush is
     * needed for the bytes to leave, and none before a half-close: a FIN that follows a flush leaves
     * on its own, which the Netty transport's QUIC library can lose on a lossy path (see the README's
     * transport limits).
     */
    OutputStream outputStream();

    /**
     * Bounds every later blocking read: a read that waits longer throws {@link
     * java.net.SocketTimeoutException}, and the stream stays usable.
     *
     * @param timeout the bound; {@link Duration#ZERO} waits forever (the default)
     * @throws IllegalArgumentException if the timeout is negative
     */
    void setReadTimeout(Duration timeout);

    /** The current read timeout; {@link Duration#ZERO} means none. */
    Duration readTimeout();

    /**
     * Half-closes: sends FIN after the bytes already written. Reading goes on.
     *
     * @throws IOException if the stream is already reset or closed
     */
    void shutdownOutput() throws IOException;

    /** The local address of this stream's QUIC connection. */
    InetSocketAddress localAddress();

    /** The peer's address of this stream's QUIC connection. */
    InetSocketAddress remoteAddress();

    /** The TLS facts of this stream's QUIC connection. */
    TlsInfo tls();

    /** True until {@link #close()} is called or the connection ends. */
    boolean isOpen();

    /**
     * Closes both directions: sends FIN if not sent yet and stops reading. Idempotent; never
     * throws.
     */
    @Override
    void close();
}
