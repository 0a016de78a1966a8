// SPDX-License-Identifier: Apache-2.0
package quicpool.testkit;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import quicpool.api.TlsInfo;
import quicpool.api.spi.OnceCallbacks;
import quicpool.api.spi.QuicSettings;
import quicpool.api.spi.StreamHandler;
import quicpool.api.spi.TransportConnection;
import quicpool.api.spi.TransportStream;

/** One side of an in-memory connection. */
final class InMemoryConnection implements TransportConnection {
    private static final System.Logger LOG = System.getLogger("quicpool.testkit.inmemory");

    private final Link link;
    private final boolean client;
    private final InetSocketAddress local;
    private final InetSocketAddress remote;
    private final QuicSettings settings;
    private final Faults faults;
    private final TlsInfo tlsInfo;
    private final SerialExecutor thread;
    private final OnceCallbacks closeCallbacks = new OnceCallbacks(LOG, "close");
    /** Receives the streams the peer opens; set on the server side by the connection handler. */
    private volatile StreamHandler streamHandler;

    InMemoryConnection(Link link, boolean client, InetSocketAddress local, InetSocketAddress remote,
                       QuicSettings settings, Faults faults, TlsInfo tlsInfo, SerialExecutor thread) {
        this.link = link;
        this.client = client;
        this.local = local;
        this.remote = remote;
        this.settings = settings;
        this.faults = faults;
        this.tlsInfo = tlsInfo;
        this.thread = thread;
    }

    /**
     * {@inheritDoc}
     *
     * <p>In memory: fails at once on a server side (clients take no peer-initiated streams), and
     * applies the faults of both sides' transports (an injected failure of either, then the longer
     * latency) before waiting for credit.
     */
    @Override
    public TransportStream openStream(Duration timeout) throws IOException, InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("stream open timeout must be >= 0, was " + timeout);
        }
        if (!link.isOpen()) {
            throw link.closedException();
        }
        if (!client) {
            throw new IOException("the in-memory transport does not open server-initiated streams: clients of "
                    + link + " take no peer-initiated streams");
        }
        InMemoryConnection peer = link.peerOf(this);
        if (faults.takeStreamOpenFailure() || peer.faults.takeStreamOpenFailure()) {
            throw new IOException("injected fault: stream open failed on " + link);
        }
        Duration latency = max(faults.streamOpenLatency(), peer.faults.streamOpenLatency());
        if (!latency.isZero()) {
            link.awaitLatency(latency);
        }
        StreamPair pair = link.openStream(this, timeout);
        peer.deliver(pair.acceptorEnd());
        return pair.openerEnd();
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public TlsInfo tlsInfo() {
        return tlsInfo;
    }

    @Override
    public boolean isOpen() {
        return link.isOpen();
    }

    @Override
    public void onClose(Runnable callback) {
        closeCallbacks.add(callback);
    }

    @Override
    public java.util.Optional<String> closeReason() {
        IOException cause = link.isOpen() ? null : link.closedException();
        return cause == null ? java.util.Optional.empty() : java.util.Optional.of(cause.getMessage());
    }

    @Override
    public void close(long applicationErrorCode, String reason) {
        link.close(applicationErrorCode, reason == null ? "" : reason);
    }

    @Override
    public String toString() {
        return (client ? "client side of " : "server side of ") + link + (isOpen() ? "" : " (closed)");
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    QuicSettings settings() {
        return settings;
    }

    Faults faults() {
        return faults;
    }

    SerialExecutor thread() {
        return thread;
    }

    void streamHandler(StreamHandler handler) {
        streamHandler = handler;
    }

    /** Hands a peer-opened stream to this side's handler, on this side's transport thread. */
    void deliver(InMemoryStream stream) {
        thread.execute(() -> {
            StreamHandler handler = streamHandler;
            if (handler == null || !link.isOpen()) {
                stream.close();
                return;
            }
            try {
                handler.onStream(stream);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "stream handler of " + this + " failed; stream " + stream.streamId()
                        + " closed", e);
                stream.close();
            }
        });
    }

    /** Runs the close callbacks once, on this side's transport thread. */
    void fireClose() {
        closeCallbacks.fire(thread);
    }
}
