// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.util.concurrent.ScheduledFuture;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Keeps an idle connection alive. Netty's QUIC (quiche) offers no way to send a PING frame, so
 * every keep-alive period this sends a one-byte DATAGRAM frame (RFC 9221), which is
 * ack-eliciting just like PING: the peer's idle timer restarts when it arrives and ours when the
 * ACK comes back. It only runs when the peer announced the DATAGRAM extension (every Netty
 * transport does); otherwise it relies on the peer's PINGs (a Kwik client sends them).
 *
 * <p>Event-loop confined.
 */
final class KeepAlive {

    private static final System.Logger LOG = System.getLogger("quicpool.transport.netty.KeepAlive");

    private final QuicChannel channel;
    private final Duration period;
    private ScheduledFuture<?> task;
    private boolean stopped;

    KeepAlive(QuicChannel channel, Duration period) {
        this.channel = channel;
        this.period = period;
    }

    /** The peer accepts DATAGRAM frames of up to {@code maxLength} bytes. */
    void peerAcceptsDatagrams(int maxLength) {
        if (stopped || task != null || maxLength < 1 || period.isZero() || period.isNegative()) {
            return;
        }
        long nanos = period.toNanos();
        task = channel.eventLoop().scheduleAtFixedRate(this::probe, nanos, nanos, TimeUnit.NANOSECONDS);
    }

    /** Whether probes are scheduled; for tests. */
    boolean running() {
        return task != null && !stopped;
    }

    void stop() {
        stopped = true;
        if (task != null) {
            task.cancel(false);
        }
    }

    private void probe() {
        if (!channel.isActive()) {
            stop();
            return;
        }
        ByteBuf probe = channel.alloc().directBuffer(1).writeByte(0);
        channel.writeAndFlush(probe).addListener(f -> {
            if (!f.isSuccess()) {
                LOG.log(Level.DEBUG, "keep-alive probe on {0} failed: {1}", channel, f.cause());
            }
        });
    }
}
