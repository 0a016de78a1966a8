// SPDX-License-Identifier: Apache-2.0
package quicpool.bench.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import quicpool.api.spi.QuicTransport;
import quicpool.api.spi.StreamHandler;
import quicpool.api.spi.TransportConnection;
import quicpool.api.spi.TransportListener;
import quicpool.api.spi.TransportStream;

/**
 * A listener on the transport's SPI alone, no pool: it answers each new stream's handshake (byte
 * {@code 0x00} in, a 4-byte ID out), then serves the {@link Sink} workload on it. The baseline
 * server of the raw measurements.
 */
final class RawListener implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("quicpool.bench.e2e");

    private final TransportListener listener;
    private final ExecutorService handlers = Loopback.threads("raw-listener");
    private final AtomicInteger ids = new AtomicInteger();
    private final Set<TransportConnection> connections = ConcurrentHashMap.newKeySet();

    private RawListener(QuicTransport transport, boolean retry) throws IOException {
        this.listener = transport.listen(Loopback.listenSpec(retry), this::onConnection);
    }

    /** Binds a raw listener of the named transport on 127.0.0.1, any port, without Retry. */
    static RawListener start(String transport) throws IOException {
        return start(transport, false);
    }

    /** Binds a raw listener of the named transport on 127.0.0.1, any port, with QUIC Retry on or off. */
    static RawListener start(String transport, boolean retry) throws IOException {
        return new RawListener(Transports.fresh(transport), retry);
    }

    InetSocketAddress address() {
        return listener.localAddress();
    }

    private StreamHandler onConnection(TransportConnection connection) {
        connections.add(connection);
        connection.onClose(() -> connections.remove(connection));
        return stream -> handlers.execute(() -> serve(stream));
    }

    private void serve(TransportStream stream) {
        try (stream) {
            stream.setReadTimeout(Loopback.TIMEOUT);
            InputStream in = stream.inputStream();
            int request = in.read();
            if (request != 0) {
                LOG.log(Level.WARNING, "raw listener: handshake byte must be 0x00, was " + request);
                return;
            }
            OutputStream out = stream.outputStream();
            out.write(ByteBuffer.allocate(4).putInt(ids.incrementAndGet()).array());
            out.flush();
            Sink.serve(Duplex.of(stream));
        } catch (IOException e) {
            // a client that closed its stream at once (the acquire measurements) may reset it
            LOG.log(Level.DEBUG, "raw listener: stream ended: " + e);
        }
    }

    @Override
    public void close() {
        listener.close();
        for (TransportConnection c : connections) {
            c.close(0, "benchmark over");
        }
        Loopback.shutdown(handlers);
    }

    /** Client side of the handshake on a raw stream: returns the ID the listener gave it. */
    static int handshake(TransportStream stream, Duration timeout) throws IOException {
        stream.setReadTimeout(timeout);
        OutputStream out = stream.outputStream();
        out.write(0);
        out.flush();
        byte[] id = stream.inputStream().readNBytes(4);
        if (id.length < 4) {
            throw new IOException("stream ended after " + id.length + " of the 4 ID bytes");
        }
        return ByteBuffer.wrap(id).getInt();
    }
}
