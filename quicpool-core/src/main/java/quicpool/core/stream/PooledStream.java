// SPDX-License-Identifier: Apache-2.0
package quicpool.core.stream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import quicpool.api.StreamConn;
import quicpool.api.TlsInfo;
import quicpool.api.internal.Check;
import quicpool.api.spi.TransportConnection;
import quicpool.api.spi.TransportStream;
import quicpool.core.id.StreamIds;

/**
 * A handshaken stream with its ID and the connection it belongs to: what the registry holds and
 * what a get hands out.
 */
public final class PooledStream implements StreamConn {
    private final String id;
    private final int key;
    private final TransportStream stream;
    private final TransportConnection connection;
    private final Object owner;
    private final Runnable onClose;
    private final OutputStream output;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean peerAborted;
    private volatile Consumer<PooledStream> onPeerAbort;
    private static final VarHandle ON_PEER_ABORT;

    static {
        try {
            ON_PEER_ABORT = MethodHandles.lookup().findVarHandle(PooledStream.class, "onPeerAbort", Consumer.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
    private volatile Duration readTimeout = Duration.ZERO;
    /**
     * Where {@link #close()} counts this stream as no longer in use: set while a get holds it, null
     * while it is idle. A plain field: the stream reaches its taker through the take itself (the
     * same thread, or a completed future), so the taker's close sees the write.
     */
    private LongAdder returned;
    /** The leak check of the get that took this stream, if leak detection is on. */
    private volatile Future<?> leakCheck;

    /**
     * @param id         the canonical 8-character ID
     * @param owner      what the pool groups streams by for eviction (a shard's connection)
     * @param onClose    run once when the stream is closed, by its user or by the pool
     * @throws IllegalArgumentException if {@code id} is not 8 hex characters
     */
    public PooledStream(String id, TransportStream stream, TransportConnection connection, Object owner,
                        Runnable onClose) {
        this.id = id;
        this.key = StreamIds.parse(id);
        this.stream = stream;
        this.connection = connection;
        this.owner = owner;
        this.onClose = onClose;
        this.output = new HalfClosingOutputStream(stream);
        stream.onPeerAbort(this::abortedByPeer);
    }

    @Override
    public String id() {
        return id;
    }

    /** The ID as the 32-bit number the wire carries: what the registry's table is keyed by. */
    public int key() {
        return key;
    }

    /** What the pool groups this stream by for eviction. */
    public Object owner() {
        return owner;
    }

    /** True while the stream's connection is alive. */
    public boolean connectionOpen() {
        return connection.isOpen();
    }

    /**
     * Calls {@code callback} with this stream if the peer abandons it from now on (see {@link
     * TransportStream#onPeerAbort}). One callback at a time: a later call replaces it. Allocates
     * nothing, so a registry can pass one shared callback. A release store and nothing more: the
     * caller must follow it with a full fence and then read {@link #peerAborted()}. An abort
     * writes its flag and then reads the callback, so one of the two sees the other's write: the
     * abort calls the callback, or the caller sees the flag, or both.
     */
    public void onPeerAbort(Consumer<PooledStream> callback) {
        ON_PEER_ABORT.setRelease(this, callback);
    }

    /** True once the peer abandoned this stream. */
    public boolean peerAborted() {
        return peerAborted;
    }

    private void abortedByPeer() {
        peerAborted = true;
        Consumer<PooledStream> callback = onPeerAbort;
        if (callback != null) {
            callback.accept(this);
        }
    }

    @Override
    public InputStream inputStream() {
        return stream.inputStream();
    }

    @Override
    public OutputStream outputStream() {
        return output;
    }

    @Override
    public void setReadTimeout(Duration timeout) {
        Check.notNegative("readTimeout", timeout);
        stream.setReadTimeout(timeout);
        readTimeout = timeout;
    }

    @Override
    public Duration readTimeout() {
        return readTimeout;
    }

    @Override
    public void shutdownOutput() throws IOException {
        stream.shutdownOutput();
    }

    @Override
    public InetSocketAddress localAddress() {
        return connection.localAddress();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return connection.remoteAddress();
    }

    @Override
    public TlsInfo tls() {
        return connection.tlsInfo();
    }

    @Override
    public boolean isOpen() {
        return !closed.get() && connection.isOpen();
    }

    /** A get takes this stream: its {@link #close()} will count one in {@code returned}. */
    public void handOut(LongAdder returned) {
        this.returned = returned;
    }

    /** The stream went back to the pool without reaching a caller: its close counts nowhere. */
    public void takeBack() {
        this.returned = null;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            LongAdder r = returned;
            if (r != null) {
                r.increment();
            }
            Future<?> check = leakCheck; // after the closed write: pairs with cancelOnClose
            if (check != null) {
                check.cancel(false);
            }
            try {
                stream.close();
            } finally {
                onClose.run();
            }
        }
    }

    /** True once {@link #close()} was called, whether or not the connection is still open. */
    public boolean closeCalled() {
        return closed.get();
    }

    /**
     * Cancels {@code check} when this stream is closed, at once if it already is. The check is
     * written before the closed flag is read, and {@link #close()} writes the flag before it reads
     * the check, so one of the two sees the other's write and the check is never left behind.
     */
    public void cancelOnClose(Future<?> check) {
        leakCheck = check;
        if (closed.get()) {
            check.cancel(false);
        }
    }

    @Override
    public String toString() {
        return "StreamConn[" + id + " " + connection.localAddress() + " -> " + connection.remoteAddress() + "]";
    }

    /** Closing the output stream half-closes the QUIC stream, nothing more. */
    private static final class HalfClosingOutputStream extends OutputStream {
        private final TransportStream stream;
        private final OutputStream out;

        HalfClosingOutputStream(TransportStream stream) {
            this.stream = stream;
            this.out = stream.outputStream();
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        /** No flush first: the transport sends FIN after every byte written, with the last of them if it can. */
        @Override
        public void close() throws IOException {
            stream.shutdownOutput();
        }
    }
}
