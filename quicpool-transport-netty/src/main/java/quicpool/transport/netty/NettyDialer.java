// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicClientCodecBuilder;
import io.netty.handler.codec.quic.QuicSslEngine;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import quicpool.api.spi.DialSpec;
import quicpool.api.spi.QuicSettings;

/**
 * Dials one client connection: its own UDP socket, connected to the server (so the local address
 * is the real one the kernel chose), the client codec, then the QUIC handshake; all within the
 * connect timeout. Closing the connection closes the socket, which gives back the event loops.
 */
final class NettyDialer {

    private final SharedEventLoops loops;
    private final ClientSslContexts contexts;

    NettyDialer(SharedEventLoops loops, ClientSslContexts contexts) {
        this.loops = loops;
        this.contexts = contexts;
    }

    NettyConnection dial(DialSpec spec) throws IOException, InterruptedException {
        QuicSettings settings = spec.settings();
        InetSocketAddress remote = spec.remote();
        if (remote.isUnresolved()) {
            throw new IOException("the server address " + remote + " is unresolved; expected a resolved address");
        }
        long deadline = System.nanoTime() + spec.connectTimeout().toNanos();
        ClientSslContexts.Entry tls = contexts.forDial(spec.trustManager(), settings.applicationProtocol());
        AtomicReference<QuicSslEngine> engine = new AtomicReference<>();
        AtomicReference<NettyConnection> attempt = new AtomicReference<>();
        String host = spec.serverName();
        ChannelHandler codec = CodecSettings.apply(new QuicClientCodecBuilder(), settings)
                // The engine knows the server name: it is sent as SNI and given to the trust manager.
                .sslEngineProvider(q -> {
                    QuicSslEngine e = tls.context().newEngine(q.alloc(), host, remote.getPort());
                    engine.set(e);
                    return e;
                })
                .build();

        SharedEventLoops.Lease lease = loops.acquire();
        Channel udp = null;
        boolean done = false;
        try {
            ChannelFuture connectUdp = CodecSettings.socketOptions(new Bootstrap())
                    .group(lease.group())
                    .channel(NioDatagramChannel.class)
                    .handler(codec)
                    .connect(remote);
            udp = connectUdp.channel();
            udp.closeFuture().addListener(f -> lease.close());
            await(connectUdp, deadline, spec, "opening a UDP socket to", true);

            Future<QuicChannel> handshake = QlogOption.apply(CodecSettings.streamOptions(QuicChannel.newBootstrap(udp)))
                    .handler(new ConnectionInit(settings, attempt::set))
                    .streamHandler(StreamChannelInit.INSTANCE)
                    .remoteAddress(remote)
                    .connect();
            QuicChannel channel;
            try {
                // Not cancelled on a timeout: the UDP channel's close below fails it, and Netty's
                // bootstrap, which fails it then too, logs a WARNING for a promise already cancelled.
                channel = await(handshake, deadline, spec, "QUIC handshake with", false);
            } catch (IOException e) {
                Exception refusal = tls.trustManager().takeRefusal(engine.get());
                if (refusal != null) {
                    throw new IOException("the trust manager refused the certificate of " + host + " at "
                            + remote + ": " + refusal.getMessage(), refusal);
                }
                NettyConnection failed = attempt.get();
                Optional<String> why = failed == null ? Optional.empty() : failed.closeReason();
                if (why.isPresent()) {
                    throw new IOException("the server ended the QUIC handshake with " + host + " at " + remote
                            + ": " + why.get(), e);
                }
                throw e;
            }
            NettyConnection connection = NettyConnection.of(channel);
            Channel socket = udp;
            channel.closeFuture().addListener(f -> socket.close());
            await(channel.eventLoop().submit(connection::established), deadline, spec, "setting up the connection to",
                    true);
            done = true;
            return connection;
        } finally {
            tls.trustManager().forget(engine.get());
            if (!done) {
                if (udp != null) {
                    udp.close();
                } else {
                    lease.close();
                }
            }
        }
    }

    /** Waits for {@code future} until the deadline; cancels it when the wait fails if {@code cancel}. */
    private static <T> T await(Future<T> future, long deadline, DialSpec spec, String what, boolean cancel)
            throws IOException, InterruptedException {
        CompletableFuture<T> f = NettyFutures.toCompletable(future);
        try {
            return f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            if (cancel) {
                future.cancel(false);
            }
            throw new SocketTimeoutException(what + " " + spec.serverName() + " at " + spec.remote()
                    + " did not complete within the connect timeout of " + spec.connectTimeout());
        } catch (InterruptedException e) {
            if (cancel) {
                future.cancel(false);
            }
            throw e;
        } catch (ExecutionException e) {
            throw NettyFutures.ioException(what + " " + spec.serverName() + " at " + spec.remote() + " failed",
                    e.getCause());
        }
    }
}
