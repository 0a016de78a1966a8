// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik.workaround;

import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;
import java.util.concurrent.locks.LockSupport;

/**
 * Watches one stream output's writes in progress and gets Kwik's sender going again for a writer
 * it left waiting for good.
 *
 * <p>Why: the send-request race of Kwik 0.10.8 ({@link SenderThreadActions}) can strike while the
 * writer's next chunk waits for room in Kwik's full send buffer. Then no send request is left to
 * empty that buffer, and the writer waits until a retransmission or the peer's flow-control credit
 * happens to queue one: on a path that stops losing packets, for good. Seen as a Kwik echo on a
 * 5%-loss path that stalled ("no bytes on QUIC stream 80 within 20000 ms") in 1 of 3 runs of the
 * Kwik module's tests on a loaded 2-core machine.
 *
 * <p>While a write is in progress, a check on one daemon thread shared by every stream ({@code
 * quicpool-kwik-write-check}) looks after {@link #FIRST_CHECK}, then again at twice the delay up to
 * {@link #LAST_CHECK} while nothing moves. When no chunk went into Kwik since the last look and
 * the writer is parked waiting for room (in its {@link SendRoom}, or on a lock condition: the only
 * place Kwik's write parks is its full send buffer), the output asks the connection's sender thread for an empty write ({@link
 * FinOutputStream#unstick()}), which queues a send request there, where the race cannot happen. A
 * writer that is merely slow (a peer that reads slowly, a small congestion window) costs one
 * superfluous send request per look. The check ends with the write.
 */
final class StalledWriteCheck implements Runnable {

    static final Duration FIRST_CHECK = Duration.ofMillis(100);
    static final Duration LAST_CHECK = Duration.ofMillis(1600);

    private static final ScheduledThreadPoolExecutor SCHEDULER = SharedScheduler.create("quicpool-kwik-write-check");

    private final FinOutputStream output;
    /** True while a look is scheduled. */
    private final AtomicBoolean scheduled = new AtomicBoolean();
    /** Read and written only by the looks, which run one after another. */
    private long chunksAtLastLook = -1;
    private long delayNanos = FIRST_CHECK.toNanos();

    StalledWriteCheck(FinOutputStream output) {
        this.output = output;
    }

    /** A write has started: makes sure a look is scheduled. Cheap when one is. */
    void writeStarted() {
        if (!scheduled.get() && scheduled.compareAndSet(false, true)) {
            delayNanos = FIRST_CHECK.toNanos();
            chunksAtLastLook = -1;
            SCHEDULER.schedule(this, delayNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** One look. */
    @Override
    public void run() {
        Thread writer = output.writer();
        if (writer == null) {
            scheduled.set(false);
            // a write that started after the read above found a look scheduled and scheduled none
            if (output.writer() != null) {
                writeStarted();
            }
            return;
        }
        long chunks = output.chunksWritten();
        if (chunks == chunksAtLastLook && parkedOnCondition(writer)) {
            output.unstick();
            delayNanos = Math.min(delayNanos * 2, LAST_CHECK.toNanos());
        } else {
            delayNanos = FIRST_CHECK.toNanos();
        }
        chunksAtLastLook = chunks;
        SCHEDULER.schedule(this, delayNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Whether {@code thread} is parked waiting for room in a send buffer: in its stream's {@link
     * SendRoom}, or on a lock's condition (as in Kwik's full send buffer).
     */
    static boolean parkedOnCondition(Thread thread) {
        Object blocker = LockSupport.getBlocker(thread);
        return blocker instanceof SendRoom || blocker instanceof AbstractQueuedSynchronizer.ConditionObject;
    }
}
