// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import io.netty.util.AttributeKey;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import quicpool.api.TlsInfo;
import quicpool.api.spi.OnceCallbacks;
import quicpool.api.spi.QuicSettings;
import quicpool.api.spi.TransportConnection;
import quicpool.api.spi.TransportStream;

/** A {@link TransportConnection} over one Netty {@link QuicChannel}, client or server side. */
final class NettyConnection implements TransportConnection {

    private static final System.Logger LOG = System.getLogger("quicpool.transport.netty.NettyConnection");
    private static final AttributeKey<NettyConnection> KEY =
            AttributeKey.valueOf(NettyConnection.class, "connection");
    /** QUIC allows longer reason phrases, but they must fit one packet with room to spare. */
    private static final int MAX_REASON_BYTES = 512;
    /** Bound on creating a stream once credit was found: normally one event-loop turn. */
    private static final Duration CREATION_BOUND = Duration.ofSeconds(5);

    private final QuicChannel channel;
    private final StreamOpener opener;
    private final KeepAlive keepAlive;
    private final Duration idleTimeout;
    private final PeerStreams peerStreams = new PeerStreams();
    private final OnceCallbacks closeCallbacks = new OnceCallbacks(LOG, "close");
    private volatile InetSocketAddress local;
    private volatile InetSocketAddress remote;
    private volatile TlsInfo tlsInfo;
    private volatile String closeReason;

    private NettyConnection(QuicChannel channel, QuicSettings settings) {
        this.channel = channel;
        this.opener = new StreamOpener(channel, StreamChannelInit.INSTANCE);
        this.keepAlive = new KeepAlive(channel, settings.keepAlive());
        this.idleTimeout = settings.idleTimeout();
        channel.closeFuture().addListener(f -> ended());
    }

    /** Creates the connection of a new channel and attaches it there. */
    static NettyConnection attach(QuicChannel channel, QuicSettings settings) {
        NettyConnection connection = new NettyConnection(channel, settings);
        channel.attr(KEY).set(connection);
        return connection;
    }

    /** The connection attached to this channel, or null. */
    static NettyConnection of(QuicChannel channel) {
        return channel.attr(KEY).get();
    }

    QuicChannel channel() {
        return channel;
    }

    StreamOpener opener() {
        return opener;
    }

    KeepAlive keepAlive() {
        return keepAlive;
    }

    PeerStreams peerStreams() {
        return peerStreams;
    }

    /** The handshake is done: remember the addresses and TLS facts, which vanish on close. */
    void established() {
        SocketAddress l = channel.localSocketAddress();
        SocketAddress r = channel.remoteSocketAddress();
        if (l instanceof InetSocketAddress) {
            local = (InetSocketAddress) l;
        }
        if (r instanceof InetSocketAddress) {
            remote = (InetSocketAddress) r;
        }
        tlsInfo = TlsInfos.of(channel.sslEngine());
    }

    @Override
    public TransportStream openStream(Duration timeout) throws IOException, InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("open-stream timeout must be zero or positive, was " + timeout);
        }
        if (!isOpen()) {
            throw new IOException("the connection to " + remoteAddress() + " is closed");
        }
        StreamOpener.Request request = opener.open();
        try {
            return request.stream.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            if (!request.giveUp()) {
                // Credit was found just now and the stream is being created: one event-loop turn.
                return awaitCreation(request);
            }
            if (!isOpen()) {
                throw new IOException("the connection to " + remoteAddress() + " closed while waiting for a stream");
            }
            throw new IOException("no stream credit from " + remoteAddress() + " within " + timeout
                    + ": all streams the peer allows are open (credit now " + opener.credit() + ")");
        } catch (InterruptedException e) {
            if (!request.giveUp()) {
                request.stream.thenAccept(NettyStream::close); // nobody will take it
            }
            throw e;
        } catch (ExecutionException e) {
            throw NettyFutures.ioException("opening a stream to " + remoteAddress() + " failed", e.getCause());
        }
    }

    private TransportStream awaitCreation(StreamOpener.Request request) throws IOException, InterruptedException {
        try {
            return request.stream.get(CREATION_BOUND.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            request.stream.thenAccept(NettyStream::close);
            throw new IOException("creating a stream to " + remoteAddress() + " took over " + CREATION_BOUND
                    + " (event loop stalled?)");
        } catch (ExecutionException e) {
            throw NettyFutures.ioException("opening a stream to " + remoteAddress() + " failed", e.getCause());
        }
    }

    @Override
    public InetSocketAddress localAddress() {
        SocketAddress now = channel.localSocketAddress();
        return now instanceof InetSocketAddress ? (InetSocketAddress) now : local;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        SocketAddress now = channel.remoteSocketAddress();
        return now instanceof InetSocketAddress ? (InetSocketAddress) now : remote;
    }

    @Override
    public TlsInfo tlsInfo() {
        TlsInfo info = tlsInfo;
        if (info == null) {
            throw new IllegalStateException("the TLS handshake of this connection has not completed");
        }
        return info;
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public Optional<String> closeReason() {
        return Optional.ofNullable(closeReason);
    }

    /**
     * The peer closed the connection; its words are kept for {@link #closeReason()}. The connection
     * is draining and will never carry data again, but quiche frees it (and Netty closes the
     * channel) only when the draining period ends, up to seconds later: close it now so that
     * {@link #onClose} callbacks run at once.
     */
    void peerClosed(QuicConnectionCloseEvent event) {
        if (closeReason == null) {
            closeReason = CloseReasons.byPeer(event);
        }
        channel.close();
    }

    @Override
    public void onClose(Runnable callback) {
        closeCallbacks.add(callback);
    }

    @Override
    public void close(long applicationErrorCode, String reason) {
        if (applicationErrorCode < 0 || applicationErrorCode > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("application error code must be within 0.."
                    + Integer.MAX_VALUE + " (Netty's limit), was " + applicationErrorCode);
        }
        if (!channel.isOpen()) {
            return;
        }
        String text = reason == null ? "" : reason;
        if (closeReason == null) {
            closeReason = CloseReasons.byThisEnd(applicationErrorCode, text);
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        ByteBuf phrase = Unpooled.wrappedBuffer(bytes, 0, Math.min(bytes.length, MAX_REASON_BYTES));
        try {
            channel.close(true, (int) applicationErrorCode, phrase);
        } catch (RejectedExecutionException e) {
            phrase.release(); // the event loop is gone, and the connection with it
        }
    }

    @Override
    public String toString() {
        return "NettyConnection[" + local + " -> " + remote + (isOpen() ? "" : ", closed") + "]";
    }

    private void ended() {
        if (closeReason == null && channel.isTimedOut()) {
            closeReason = CloseReasons.idle(idleTimeout);
        }
        opener.end();
        keepAlive.stop();
        peerStreams.reject();
        closeCallbacks.fire();
    }
}
