package quicpool.transport.netty;

import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

/**
 * Opens bidirectional streams in the order asked, as the peer's stream credit allows. Netty's
 * {@code createStream} fails at once when the peer's limit is reached, so requests wait here until
 * a {@code QuicStreamLimitChangedEvent} reports new credit ({@link #creditChanged()}); no polling.
 * A request the caller gave up on (its future cancelled) is skipped, and a stream created for it
 * just too late is closed.
 *
 * <p>Everything but {@link #open()} runs on the connection's event loop.
 */
final class StreamOpener {

    private final QuicChannel channel;
    private final ChannelHandler streamInit;
    private final ArrayDeque<CompletableFuture<NettyStream>> waiting = new ArrayDeque<>();
    private boolean ended;

    StreamOpener(QuicChannel channel, ChannelHandler streamInit) {
        this.channel = channel;
        this.streamInit = streamInit;
    }

    /** A stream, once credit allows; from any thread. Cancel the future to give up. */
    CompletableFuture<NettyStream> open() {
        CompletableFuture<NettyStream> request = new CompletableFuture<>();
        try {
            channel.eventLoop().execute(() -> enqueue(request));
        } catch (RejectedExecutionException e) {
            request.completeExceptionally(closed());
        }
        return request;
    }

    /** Streams the peer lets us open right now; from any thread. */
    long credit() {
        return channel.peerAllowedStreams(QuicStreamType.BIDIRECTIONAL);
    }

    void creditChanged() {
        drain();
    }

    /** The connection ended: every waiting request fails. */
    void end() {
        ended = true;
        CompletableFuture<NettyStream> r;
        while ((r = waiting.poll()) != null) {
            r.completeExceptionally(closed());
        }
    }

    private void enqueue(CompletableFuture<NettyStream> request) {
        if (ended || !channel.isActive()) {
            request.completeExceptionally(closed());
            return;
        }
        waiting.add(request);
        drain();
    }

    private void drain() {
        while (!waiting.isEmpty() && channel.isActive() && credit() > 0) {
            CompletableFuture<NettyStream> request = waiting.poll();
            if (!request.isDone()) {
                create(request);
            }
        }
    }

    private void create(CompletableFuture<NettyStream> request) {
        CodecSettings.streamOptions(channel.newStreamBootstrap())
                .type(QuicStreamType.BIDIRECTIONAL)
                .handler(streamInit)
                .create()
                .addListener(f -> {
                    if (f.isSuccess()) {
                        NettyStream stream = StreamChannelInit.streamOf((QuicStreamChannel) f.getNow());
                        if (!request.complete(stream)) {
                            stream.close(); // the caller gave up meanwhile
                        }
                    } else {
                        request.completeExceptionally(
                                NettyFutures.ioException("opening a stream failed", f.cause()));
                    }
                });
    }

    private IOException closed() {
        return new IOException("the connection is closed");
    }
}
