// SPDX-License-Identifier: Apache-2.0
package quicpool.compliance;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import quicpool.api.spi.ListenSpec;
import quicpool.api.spi.QuicSettings;
import quicpool.api.spi.QuicTransport;
import quicpool.api.spi.StreamHandler;
import quicpool.api.spi.TransportConnection;
import quicpool.api.spi.TransportListener;
import quicpool.api.spi.TransportStream;

/**
 * A QUIC listener straight on a transport's SPI, not a pool: it plays a server that breaks the
 * pool protocol in one scripted way, and records what reached it.
 */
public final class RawServer implements AutoCloseable {

    /** What the server does with each stream a client opens. */
    public enum Behaviour {
        /** Never answers and never closes the stream; only notices when the client ends it. */
        SILENT,
        /** Reads the request byte, answers 2 of the 4 ID bytes, then closes the stream (FIN). */
        SHORT_ID
    }

    private final TransportListener listener;
    private final Behaviour behaviour;
    private final ExecutorService workers;
    private final List<TransportConnection> connections = new CopyOnWriteArrayList<>();
    private final List<TransportStream> streams = new CopyOnWriteArrayList<>();
    private final AtomicInteger endedByClient = new AtomicInteger();

    /**
     * Binds 127.0.0.1:0 with {@code PoolFixture.CERT}.
     *
     * @param alpn    the application protocol it accepts
     * @param workers runs the per-stream work (SPI handlers must not block)
     */
    public RawServer(QuicTransport transport, String alpn, Behaviour behaviour, ExecutorService workers)
            throws IOException {
        this.behaviour = behaviour;
        this.workers = workers;
        QuicSettings settings = RawPeers.settings(alpn);
        this.listener = transport.listen(new ListenSpec(new InetSocketAddress("127.0.0.1", 0),
                PoolFixture.CERT.keyStore(), PoolFixture.CERT.alias(), PoolFixture.CERT.password(), settings),
                this::accept);
    }

    private StreamHandler accept(TransportConnection connection) {
        connections.add(connection);
        return this::onStream;
    }

    private void onStream(TransportStream stream) {
        streams.add(stream);
        try {
            workers.execute(() -> {
                if (behaviour == Behaviour.SHORT_ID) {
                    answerShort(stream);
                } else {
                    awaitEnd(stream);
                }
            });
        } catch (RejectedExecutionException e) {
            stream.close();
        }
    }

    /** Reads (and drops) what the client sends until it ends the stream; writes nothing. */
    private void awaitEnd(TransportStream stream) {
        try {
            stream.setReadTimeout(Duration.ofSeconds(30));
            InputStream in = stream.inputStream();
            while (in.read() >= 0) {
                // the request byte: never answered
            }
        } catch (SocketTimeoutException e) {
            return; // the client never ended it: not counted
        } catch (IOException reset) {
            // ended by a reset or the connection's end
        }
        endedByClient.incrementAndGet();
    }

    private static void answerShort(TransportStream stream) {
        try (stream) {
            stream.setReadTimeout(Duration.ofSeconds(10));
            if (stream.inputStream().read() >= 0) {
                stream.outputStream().write(new byte[] {0x12, 0x34});
                stream.outputStream().flush();
            }
        } catch (IOException e) {
            // the client gave up first: nothing to answer
        }
    }

    public InetSocketAddress address() {
        return listener.localAddress();
    }

    /** Connections that completed their handshake with this server. */
    public int connections() {
        return connections.size();
    }

    /** Streams clients opened on it. */
    public List<TransportStream> streams() {
        return streams;
    }

    /** {@link Behaviour#SILENT}: how many of its streams the client has ended (FIN or reset). */
    public int streamsEndedByClient() {
        return endedByClient.get();
    }

    /** Closes every connection it accepted, then the listener. */
    @Override
    public void close() {
        for (TransportStream s : streams) {
            s.close();
        }
        for (TransportConnection c : connections) {
            c.close(0, "raw server closed");
        }
        listener.close();
    }
}
