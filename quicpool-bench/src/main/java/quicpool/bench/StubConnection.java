// SPDX-License-Identifier: Apache-2.0
package quicpool.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import quicpool.api.TlsInfo;
import quicpool.api.spi.TransportConnection;
import quicpool.api.spi.TransportStream;

/**
 * A connection that is always open and costs nothing to ask: it keeps the network out of the
 * hot-path benchmarks, so that what they measure is the pool.
 */
final class StubConnection implements TransportConnection {
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 40000);
    private static final InetSocketAddress REMOTE = new InetSocketAddress("127.0.0.1", 10101);
    private static final TlsInfo TLS = new TlsInfo("TLSv1.3", "TLS_AES_128_GCM_SHA256", "np-quic", List.of());

    private volatile boolean open = true;

    @Override
    public TransportStream openStream(Duration timeout) throws IOException {
        throw new IOException("the benchmark stub opens no streams: the benchmark makes them");
    }

    @Override
    public InetSocketAddress localAddress() {
        return LOCAL;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return REMOTE;
    }

    @Override
    public TlsInfo tlsInfo() {
        return TLS;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void onClose(Runnable callback) {
    }

    @Override
    public void close(long applicationErrorCode, String reason) {
        open = false;
    }
}
