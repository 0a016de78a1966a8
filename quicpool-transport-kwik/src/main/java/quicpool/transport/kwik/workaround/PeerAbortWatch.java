// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik.workaround;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Notices that the peer abandoned a stream this end neither reads nor writes, such as a pool's
 * idle stream: Kwik 0.10.8 answers a peer's STOP_SENDING by resetting the stream's output
 * ({@code StreamManager.process(StopSendingFrame)}) and tells no one; only a later write or flush
 * of that output throws. One connection's watch checks each watched stream once a period, from
 * one daemon thread shared by every connection ({@code quicpool-kwik-peer-abort}), with a probe
 * that never blocks ({@link FinOutputStream#peerStopped()}), and runs the stream's callback once
 * the probe says so. A check costs two volatile reads per watched stream.
 *
 * <p>Not seen: a peer that only ends its side (FIN) without STOP_SENDING, as Netty's transport
 * closes a stream, because Kwik reveals a FIN only to a read, and a read that waits holds a
 * thread; such a stream is noticed when the peer's stack gives up waiting for this end's FIN and
 * sends STOP_SENDING (Netty's transport: after its 30 s linger).
 */
public final class PeerAbortWatch {

    private static final ScheduledThreadPoolExecutor SCHEDULER = SharedScheduler.create("quicpool-kwik-peer-abort");

    private final Set<Watched> watched = ConcurrentHashMap.newKeySet();
    private final ScheduledFuture<?> task;

    private PeerAbortWatch(Duration period) {
        long nanos = period.toNanos();
        this.task = SCHEDULER.scheduleAtFixedRate(this::check, nanos, nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Starts checking every {@code period} until {@link #stop()}.
     *
     * @throws IllegalArgumentException if {@code period} is not positive
     */
    public static PeerAbortWatch start(Duration period) {
        Objects.requireNonNull(period, "period");
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("peer-abort check period must be positive, was " + period);
        }
        return new PeerAbortWatch(period);
    }

    /**
     * Runs {@code abandoned} once, on the watch's thread, at the first check where {@code
     * peerStopped} is true. The returned action stops watching (idempotent); must not block.
     */
    public Runnable watch(BooleanSupplier peerStopped, Runnable abandoned) {
        Watched w = new Watched(peerStopped, abandoned);
        watched.add(w);
        return () -> watched.remove(w);
    }

    /** Stops checking and forgets every watched stream. Idempotent. */
    public void stop() {
        task.cancel(false);
        watched.clear();
    }

    private void check() {
        for (Watched w : watched) {
            if (w.peerStopped.getAsBoolean() && watched.remove(w)) {
                w.abandoned.run();
            }
        }
    }

    private static final class Watched {
        final BooleanSupplier peerStopped;
        final Runnable abandoned;

        Watched(BooleanSupplier peerStopped, Runnable abandoned) {
            this.peerStopped = peerStopped;
            this.abandoned = abandoned;
        }
    }
}
