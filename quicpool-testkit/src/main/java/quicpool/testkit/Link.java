// SPDX-License-Identifier: Apache-2.0
package quicpool.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import quicpool.api.TlsInfo;
import quicpool.api.spi.QuicSettings;

/**
 * One in-memory QUIC connection with both of its sides: the stream credit each side has from the
 * other, the live streams, and the end of it all.
 */
final class Link {
    static final String TLS_PROTOCOL = "TLSv1.3";
    static final String CIPHER_SUITE = "TLS_AES_128_GCM_SHA256";
    private static final AtomicLong IDS = new AtomicLong();

    private final long id = IDS.incrementAndGet();
    private final InMemoryNetwork network;
    private final InMemoryTransport dialer;
    private final InMemoryListener listener;
    private final InMemoryConnection client;
    private final InMemoryConnection server;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when credit comes back and when the connection ends. */
    private final Condition changed = lock.newCondition();
    private final Set<StreamPair> streams = ConcurrentHashMap.newKeySet();
    private int openedByClient;
    private int openedByServer;
    private long nextClientStreamId = 0;
    private long nextServerStreamId = 1;
    private volatile IOException closeCause;

    Link(InMemoryNetwork network, InMemoryTransport dialer, QuicSettings clientSettings, InetSocketAddress clientAddress,
         InMemoryListener listener, InetSocketAddress serverAddress) {
        this.network = network;
        this.dialer = dialer;
        this.listener = listener;
        String alpn = listener.settings().applicationProtocol();
        SerialExecutor clientThread = new SerialExecutor(network.executor());
        SerialExecutor serverThread = new SerialExecutor(network.executor());
        this.client = new InMemoryConnection(this, true, clientAddress, serverAddress, clientSettings,
                dialer.faults(), new TlsInfo(TLS_PROTOCOL, CIPHER_SUITE, alpn, listener.chain()), clientThread);
        this.server = new InMemoryConnection(this, false, serverAddress, clientAddress, listener.settings(),
                listener.transport().faults(), new TlsInfo(TLS_PROTOCOL, CIPHER_SUITE, alpn, List.of()), serverThread);
    }

    InMemoryConnection client() {
        return client;
    }

    InMemoryConnection server() {
        return server;
    }

    InMemoryListener listener() {
        return listener;
    }

    InMemoryTransport dialer() {
        return dialer;
    }

    boolean isOpen() {
        return closeCause == null;
    }

    InMemoryConnection peerOf(InMemoryConnection side) {
        return side == client ? server : client;
    }

    /** Waits {@code latency}, failing early if the connection ends. */
    void awaitLatency(Duration latency) throws IOException, InterruptedException {
        long remaining = Nanos.of(latency);
        lock.lockInterruptibly();
        try {
            while (closeCause == null && remaining > 0) {
                remaining = changed.awaitNanos(remaining);
            }
            throwIfClosed();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes one unit of stream credit for {@code opener}, waiting up to {@code timeout}, and
     * makes the stream. The limit is the peer's {@link QuicSettings#maxBidiStreams()}.
     */
    StreamPair openStream(InMemoryConnection opener, Duration timeout) throws IOException, InterruptedException {
        InMemoryConnection peer = peerOf(opener);
        int limit = peer.settings().maxBidiStreams();
        long remaining = Nanos.of(timeout);
        lock.lockInterruptibly();
        try {
            while (true) {
                throwIfClosed();
                int open = opener == client ? openedByClient : openedByServer;
                if (open < limit) {
                    break;
                }
                if (remaining <= 0) {
                    throw new IOException("no stream credit within " + timeout + ": " + open + " of the " + limit
                            + " streams the peer allows are open (in-memory connection #" + id + ")");
                }
                remaining = changed.awaitNanos(remaining);
            }
            long streamId;
            if (opener == client) {
                openedByClient++;
                streamId = nextClientStreamId;
                nextClientStreamId += 4;
            } else {
                openedByServer++;
                streamId = nextServerStreamId;
                nextServerStreamId += 4;
            }
            StreamPair pair = new StreamPair(this, streamId, opener == client,
                    receiveWindow(server), receiveWindow(client));
            streams.add(pair);
            return pair;
        } finally {
            lock.unlock();
        }
    }

    /** Both directions of {@code pair} are done: its credit goes back to the opener. */
    void release(StreamPair pair) {
        lock.lock();
        try {
            if (streams.remove(pair)) {
                if (pair.openedByClient()) {
                    openedByClient--;
                } else {
                    openedByServer--;
                }
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Closes with an application error code, as either side's {@code close} does. */
    void close(long code, String reason) {
        end("connection closed (application error " + code + "): " + reason);
    }

    /** Ends as if the network died. True if it was still open. */
    boolean kill() {
        return end("connection lost: killed");
    }

    private boolean end(String message) {
        List<StreamPair> live;
        lock.lock();
        try {
            if (closeCause != null) {
                return false;
            }
            closeCause = new IOException(message + " (in-memory connection #" + id + ")");
            live = List.copyOf(streams);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        for (StreamPair pair : live) {
            pair.fail(closeCause);
        }
        network.removed(this);
        dialer.removed(this);
        listener.transport().removed(this);
        listener.removed(server);
        client.fireClose();
        server.fireClose();
        return true;
    }

    IOException closedException() {
        IOException cause = closeCause;
        return new IOException(cause.getMessage(), cause);
    }

    private void throwIfClosed() throws IOException {
        if (closeCause != null) {
            throw closedException();
        }
    }

    private static int receiveWindow(InMemoryConnection receiver) {
        long window = Math.min(receiver.settings().streamWindow(), receiver.faults().streamBufferLimit());
        return (int) Math.min(window, Integer.MAX_VALUE - 8);
    }

    @Override
    public String toString() {
        return "in-memory connection #" + id + " " + client.localAddress() + " -> " + server.localAddress();
    }
}
