package quicpool.core.sim;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import quicpool.api.TlsInfo;
import quicpool.api.spi.TransportConnection;
import quicpool.api.spi.TransportStream;
import quicpool.core.id.StreamIds;
import quicpool.core.stream.PooledStream;

/**
 * Streams for the simulator: real {@link PooledStream}s (what the registry holds) over a
 * connection that stays open and streams that carry nothing. Opening them costs simulated time,
 * which the simulator accounts for, not these objects.
 */
final class SimStreams {
    private static final TransportConnection CONNECTION = new Connection();
    private int nextId;

    PooledStream next() {
        return new PooledStream(StreamIds.toText(nextId++), new Stream(), CONNECTION, CONNECTION, () -> { });
    }

    private static final class Connection implements TransportConnection {
        @Override
        public TransportStream openStream(Duration timeout) {
            throw new UnsupportedOperationException("the simulator makes streams itself");
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
            return true;
        }

        @Override
        public void onClose(Runnable callback) {
        }

        @Override
        public void close(long code, String reason) {
        }
    }

    private static final class Stream implements TransportStream {
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
        }
    }
}
