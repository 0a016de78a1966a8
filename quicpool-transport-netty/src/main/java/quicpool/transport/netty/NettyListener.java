// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.quic.QuicServerCodecBuilder;
import io.netty.handler.codec.quic.QuicSslContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import quicpool.api.spi.ConnectionHandler;
import quicpool.api.spi.ListenSpec;
import quicpool.api.spi.TransportListener;

/**
 * A bound UDP socket with Netty's QUIC server codec, behind a {@link SourceAdmissionHandler} that
 * drops the first packets of sources the listen spec's admission rule refuses. With {@link
 * ListenSpec#retry()} the codec answers a first Initial with a Retry and starts a connection only
 * for an Initial that returns a valid {@link RetryTokens token}.
 *
 * <p>All of a listener's connections share its socket. {@link #close()} therefore stops accepting
 * at once (a connection completing its handshake afterwards is closed) and closes the socket as
 * soon as the last accepted connection has ended; connections handed to the handler keep working
 * until then.
 */
final class NettyListener implements TransportListener {

    private static final long BIND_TIMEOUT_SECONDS = 10;

    private final SharedEventLoops.Lease lease;
    private final ReentrantLock lock = new ReentrantLock();
    private Channel socket;
    private InetSocketAddress bound;
    private int connections;
    private volatile boolean closed;

    private NettyListener(SharedEventLoops.Lease lease) {
        this.lease = lease;
    }

    static NettyListener bind(ListenSpec spec, ConnectionHandler handler, SharedEventLoops loops)
            throws IOException {
        QuicSslContext ssl = ServerSslContexts.forListen(spec);
        SharedEventLoops.Lease lease = loops.acquire();
        NettyListener listener = new NettyListener(lease);
        try {
            listener.start(spec, handler, ssl);
            return listener;
        } catch (IOException | RuntimeException e) {
            lease.close();
            throw e;
        }
    }

    private void start(ListenSpec spec, ConnectionHandler handler, QuicSslContext ssl) throws IOException {
        ChannelHandler codec = QlogOption.apply(CodecSettings.streamOptions(
                CodecSettings.apply(new QuicServerCodecBuilder(), spec.settings())))
                .sslContext(ssl)
                // Without Retry by default: a round trip less per dial, and best with Kwik clients (dependency notes).
                .tokenHandler(spec.retry() ? RetryTokens.withRandomKey() : null)
                .handler(new ConnectionInit(spec.settings(), connection -> {
                    connectionStarted(connection);
                    connection.channel().pipeline().addLast(new ServerHandshakeHandler(connection, handler, this,
                            spec.handshakeTimeout()));
                }))
                .streamHandler(StreamChannelInit.INSTANCE)
                .build();
        ChannelFuture bind = CodecSettings.socketOptions(new Bootstrap())
                .group(lease.group())
                .channel(NioDatagramChannel.class)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        // The allow-list and connection limits, at each client's first packet: before any TLS work.
                        ch.pipeline().addLast(new SourceAdmissionHandler(spec.admission()), codec);
                    }
                })
                .bind(spec.bindAddress());
        try {
            NettyFutures.toCompletable(bind).get(BIND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            bind.channel().close();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while binding UDP " + spec.bindAddress());
        } catch (ExecutionException e) {
            throw NettyFutures.ioException("cannot bind UDP " + spec.bindAddress(), e.getCause());
        } catch (TimeoutException e) {
            bind.channel().close();
            throw new IOException("binding UDP " + spec.bindAddress() + " took over " + BIND_TIMEOUT_SECONDS + " s");
        }
        socket = bind.channel();
        bound = (InetSocketAddress) socket.localAddress();
        socket.closeFuture().addListener(f -> lease.close());
    }

    @Override
    public InetSocketAddress localAddress() {
        return bound;
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            lock.unlock();
        }
        closeSocketIfIdle();
    }

    @Override
    public String toString() {
        return "NettyListener[" + bound + (closed ? ", closed" : "") + "]";
    }

    private void connectionStarted(NettyConnection connection) {
        lock.lock();
        try {
            connections++;
        } finally {
            lock.unlock();
        }
        connection.channel().closeFuture().addListener(f -> {
            lock.lock();
            try {
                connections--;
            } finally {
                lock.unlock();
            }
            closeSocketIfIdle();
        });
    }

    private void closeSocketIfIdle() {
        boolean idle;
        lock.lock();
        try {
            idle = closed && connections == 0;
        } finally {
            lock.unlock();
        }
        if (idle) {
            socket.close();
        }
    }
}
