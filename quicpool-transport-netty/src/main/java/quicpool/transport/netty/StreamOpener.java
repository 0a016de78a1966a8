// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.netty;

import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens bidirectional streams in the order asked, as the peer's stream credit allows. Netty's
 * {@code createStream} fails at once when the peer's limit is reached, so requests wait here until
 * a {@code QuicStreamLimitChangedEvent} reports new credit ({@link #creditChanged()}); no polling.
 *
 * <p>Everything but {@link #open()}, {@link #credit()} and {@link Request#giveUp()} runs on the
 * connection's event loop.
 */
final class StreamOpener {

    /** One caller's wish for a stream. */
    static final class Request {
        private static final int WAITING = 0;
        private static final int STARTED = 1;
        private static final int ABANDONED = 2;

        final CompletableFuture<NettyStream> stream = new CompletableFuture<>();
        private final AtomicInteger state = new AtomicInteger(WAITING);

        /**
         * The caller stops waiting for credit. False when credit was already found and the stream
         * is being created: a matter of one event-loop turn, which the caller should then await.
         */
        boolean giveUp() {
            return state.compareAndSet(WAITING, ABANDONED) || state.get() == ABANDONED;
        }

        private boolean start() {
            return state.compareAndSet(WAITING, STARTED);
        }

        private boolean abandoned() {
            return state.get() == ABANDONED;
        }
    }

    private final QuicChannel channel;
    private final ChannelHandler streamInit;
    private final ArrayDeque<Request> waiting = new ArrayDeque<>();
    private boolean ended;

    StreamOpener(QuicChannel channel, ChannelHandler streamInit) {
        this.channel = channel;
        this.streamInit = streamInit;
    }

    /** A stream, once credit allows; from any thread. */
    Request open() {
        Request request = new Request();
        try {
            channel.eventLoop().execute(() -> enqueue(request));
        } catch (RejectedExecutionException e) {
            request.stream.completeExceptionally(closed());
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
        Request r;
        while ((r = waiting.poll()) != null) {
            r.stream.completeExceptionally(closed());
        }
    }

    private void enqueue(Request request) {
        if (ended || !channel.isActive()) {
            request.stream.completeExceptionally(closed());
            return;
        }
        waiting.removeIf(Request::abandoned);
        waiting.add(request);
        drain();
    }

    private void drain() {
        while (!waiting.isEmpty() && channel.isActive() && credit() > 0) {
            Request request = waiting.poll();
            if (request.start()) {
                create(request);
            }
        }
    }

    private void create(Request request) {
        CodecSettings.streamOptions(channel.newStreamBootstrap())
                .type(QuicStreamType.BIDIRECTIONAL)
                .handler(streamInit)
                .create()
                .addListener(f -> {
                    if (f.isSuccess()) {
                        request.stream.complete(StreamChannelInit.streamOf((QuicStreamChannel) f.getNow()));
                    } else {
                        request.stream.completeExceptionally(
                                NettyFutures.ioException("opening a stream failed", f.cause()));
                    }
                });
    }

    private IOException closed() {
        return new IOException("the connection is closed");
    }
}
