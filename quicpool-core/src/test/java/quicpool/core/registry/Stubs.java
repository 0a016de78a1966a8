// SPDX-License-Identifier: Apache-2.0
package quicpool.core.registry;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import quicpool.api.TlsInfo;
import quicpool.api.spi.TransportConnection;
import quicpool.api.spi.TransportStream;
import quicpool.core.stream.PooledStream;

/** Stand-ins for a transport's stream and connection, enough for the registry and the simulator. */
public final class Stubs {
    private Stubs() {
    }

    public static final class Conn implements TransportConnection {
        final AtomicBoolean open = new AtomicBoolean(true);

        @Override
        public TransportStream openStream(Duration timeout) {
            throw new UnsupportedOperationException();
        }

        @Override
        public InetSocketAddress localAddress() {
            return new InetSocketAddress("127.0.0.1", 1);
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return new InetSocketAddress("127.0.0.1", 2);
        }

        @Override
        public TlsInfo tlsInfo() {
            return new TlsInfo("TLSv1.3", "TLS_AES_128_GCM_SHA256", "np-quic", List.of());
        }

        @Override
        public boolean isOpen() {
            return open.get();
        }

        @Override
        public void onClose(Runnable callback) {
        }

        @Override
        public void close(long code, String reason) {
            open.set(false);
        }
    }

    static final class Stream implements TransportStream {
        final AtomicBoolean closed = new AtomicBoolean();
        private Runnable onPeerAbort;
        private boolean aborted;

        /** As the SPI says: at once when the peer has already abandoned the stream. */
        @Override
        public void onPeerAbort(Runnable callback) {
            onPeerAbort = callback;
            if (aborted) {
                callback.run();
            }
        }

        /** The peer abandons this stream (STOP_SENDING). */
        void abortByPeer() {
            aborted = true;
            if (onPeerAbort != null) {
                onPeerAbort.run();
            }
        }

        @Override
        public long streamId() {
            return 0;
        }

        @Override
        public InputStream inputStream() {
            return InputStream.nullInputStream();
        }

        @Override
        public OutputStream outputStream() {
            return OutputStream.nullOutputStream();
        }

        @Override
        public void setReadTimeout(Duration timeout) {
        }

        @Override
        public void shutdownOutput() {
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    public static PooledStream pooled(String id, Conn conn) {
        return pooled(id, new Stream(), conn);
    }

    static PooledStream pooled(String id, Stream stream, Conn conn) {
        return new PooledStream(id, stream, conn, conn, () -> { });
    }
}
