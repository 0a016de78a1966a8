// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.DefaultChannelPromise;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamFrame;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import quicpool.api.spi.OnceCallbacks;
import quicpool.compliance.Conditions;

/**
 * What {@link StreamOutput} hands to its channel, recorded by a stand-in channel on a real event
 * loop: the newest bytes wait for a FIN, a flush, a later write or the hold's end, and the FIN
 * leaves in the same message as the last bytes whenever they have not left yet, so quiche never
 * gets it on its own then (quiche 4.2.18 can lose a FIN handed over alone while a
 * retransmission of the stream is pending).
 */
@ExtendWith(LeakCheck.class)
@Timeout(30)
class StreamOutputFinTest {

    private final EventLoop loop = new DefaultEventLoop();
    private final List<Object> written = new CopyOnWriteArrayList<>();
    private final QuicStreamChannel channel = recordingChannel();
    /** Keeps bytes back for longer than any test runs, so that only a FIN, a flush or a write lets them go. */
    private final StreamOutput out = output(Duration.ofHours(1));

    @AfterEach
    void releaseAndStop() throws Exception {
        written.forEach(ReferenceCountUtil::release);
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }

    @Test
    void aFinRequestedWhileBytesWaitLeavesWithTheLastOfThem() throws Exception {
        CountDownLatch busy = new CountDownLatch(1);
        loop.execute(() -> awaitQuietly(busy)); // the event loop is busy: the writes wait for it
        out.write(new byte[10]);
        out.write(new byte[5]);
        out.markShutdown();
        out.sendFin();
        busy.countDown();
        drainLoop();

        assertThat(written).hasSize(2);
        assertThat(written.get(0)).isInstanceOfSatisfying(ByteBuf.class, b -> assertThat(b.readableBytes()).isEqualTo(10));
        assertThat(written.get(1)).isInstanceOfSatisfying(QuicStreamFrame.class, f -> {
            assertThat(f.hasFin()).as("FIN in the frame of the last bytes").isTrue();
            assertThat(f.content().readableBytes()).isEqualTo(5);
        });
    }

    @Test
    void aFinRequestedAfterTheLoopTookTheWriteStillLeavesWithItsBytes() throws Exception {
        out.write(new byte[10]);
        drainLoop();
        assertThat(written).as("handed over before the FIN, the flush or the hold's end").isEmpty();
        out.markShutdown();
        out.sendFin();
        out.sendFin();
        drainLoop();

        assertThat(written).singleElement().isInstanceOfSatisfying(QuicStreamFrame.class, f -> {
            assertThat(f.hasFin()).as("FIN in the frame of the last bytes").isTrue();
            assertThat(f.content().readableBytes()).isEqualTo(10);
        });
    }

    @Test
    void aWriteLetsTheBytesBeforeItGoAndAFlushLetsEverythingGo() throws Exception {
        out.write(new byte[10]);
        out.write(new byte[5]);
        drainLoop();
        assertThat(written).as("all but the newest write handed over").singleElement()
                .isInstanceOfSatisfying(ByteBuf.class, b -> assertThat(b.readableBytes()).isEqualTo(10));
        out.flush();
        drainLoop();

        assertThat(written).hasSize(2);
        assertThat(written.get(1)).isInstanceOfSatisfying(ByteBuf.class, b -> assertThat(b.readableBytes()).isEqualTo(5));
    }

    @Test
    void keptBytesLeaveAtTheHoldsEndAndALaterFinGoesAloneAndOnlyOnce() throws Exception {
        StreamOutput shortHold = output(Duration.ofMillis(20));
        shortHold.write(new byte[10]);
        Conditions.await("the kept bytes handed over", Duration.ofSeconds(5), () -> !written.isEmpty());
        assertThat(written).as("handed over at the hold's end, with no flush").singleElement()
                .isInstanceOfSatisfying(ByteBuf.class, b -> assertThat(b.readableBytes()).isEqualTo(10));
        shortHold.markShutdown();
        shortHold.sendFin();
        shortHold.sendFin();
        drainLoop();

        assertThat(written).hasSize(2);
        assertThat(written.get(1)).isSameAs(QuicStreamFrame.EMPTY_FIN);
    }

    @Test
    void anInactiveChannelReleasesTheKeptBytesAndFailsLaterWrites() throws Exception {
        out.write(new byte[10]);
        drainLoop();
        out.channelInactive();
        drainLoop();

        assertThat(written).isEmpty();
        assertThatThrownBy(() -> out.write(new byte[3])).isInstanceOf(IOException.class)
                .hasMessageContaining("is closed");
    }

    @Test
    void aWriteAfterTheFinFailsAndQueuesNothing() throws Exception {
        out.markShutdown();
        out.sendFin();
        assertThatThrownBy(() -> out.write(new byte[3])).isInstanceOf(IOException.class)
                .hasMessageContaining("shut down (FIN sent)");
        drainLoop();

        assertThat(written).containsExactly(QuicStreamFrame.EMPTY_FIN);
    }

    private StreamOutput output(Duration hold) {
        return new StreamOutput(channel, null,
                new OnceCallbacks(System.getLogger(StreamOutputFinTest.class.getName()), "peer-abort"), hold);
    }

    /** Returns once every task queued on the loop so far has run. */
    private void drainLoop() throws Exception {
        loop.submit(() -> null).get(5, TimeUnit.SECONDS);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A stream channel that accepts every write at once and records it; everything else it refuses. */
    private QuicStreamChannel recordingChannel() {
        return (QuicStreamChannel) Proxy.newProxyInstance(QuicStreamChannel.class.getClassLoader(),
                new Class<?>[] {QuicStreamChannel.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "eventLoop":
                            return loop;
                        case "alloc":
                            return UnpooledByteBufAllocator.DEFAULT;
                        case "isWritable":
                            return true;
                        case "streamId":
                            return 4L;
                        case "write":
                            written.add(args[0]);
                            return new DefaultChannelPromise((QuicStreamChannel) proxy, loop).setSuccess();
                        case "flush":
                            return proxy;
                        case "hashCode":
                            return System.identityHashCode(proxy);
                        case "equals":
                            return proxy == args[0];
                        case "toString":
                            return "recording stream channel";
                        default:
                            throw new UnsupportedOperationException(method.toString());
                    }
                });
    }
}
