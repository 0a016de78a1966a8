// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik.workaround;

import java.io.OutputStream;
import java.time.Duration;
import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Gets a stream's lost frames, and its written bytes, sent when Kwik left them waiting with no
 * send request.
 *
 * <p>Why: Kwik 0.10.8 (and its master branch) requeues a lost stream frame on the thread that
 * declared it lost ({@code StreamOutputStreamImpl.retransmitStreamFrame}, on the thread that
 * processed the ACK or ran the loss timer), through the same check-then-act as a write ({@link
 * SenderThreadActions}): read the request count, queue a request, increment. When the sender
 * thread serves that request in between and a part stays behind (a frame too big for the room
 * left in the packet is split in two, and the second half goes back), its own request for the
 * rest sees the count at -1 and queues none. The lost bytes then wait for the stream's next write
 * or close, and after the close they wait for good: the peer's reader hangs. Proven by a dump of
 * both ends' Kwik state when the Kwik module's lossy-path echo stalled ("no bytes on QUIC stream
 * 8 within 20000 ms", 1 run in about 9): the server's output closed, 275 bytes at offset 258,616
 * in its retransmit buffer, no request counted or queued; the client's read waiting at exactly
 * that offset, every later byte and the FIN received. The same race after a stream's last write
 * (a request that waits for its answer before it writes or closes again) leaves written bytes
 * behind; {@link StalledWriteCheck} sees that only while a writer is parked.
 *
 * <p>Every Kwik output that has been written to or closed is watched from one daemon thread
 * shared by every connection ({@code quicpool-kwik-lost-frames}), every {@link #PERIOD}. A look
 * that finds lost frames, or written bytes that flow control does not hold back, waiting with no
 * request counted ({@link KwikOutputInternals#waitsWithoutRequest}) twice in a row asks the connection's
 * sender thread to queue one, which cannot race there. An output is watched until it has been
 * {@linkplain KwikOutputInternals#finished finished} (closed or reset, FIN framed, nothing lost
 * waiting) at every look for {@link #LINGER}, which lets the loss of any frame still in flight be
 * declared (RFC 9002 declares a packet lost within a few probe timeouts, well under a second on
 * the paths a pool serves), or until its connection ends. A look costs a few reads per output;
 * the thread exists only while something is watched, and ends a second after.
 *
 * <p>It needs to read Kwik's private state ({@link KwikOutputInternals}): where the JVM does not
 * allow that, nothing is watched, and a warning says so once.
 */
final class StrandedFrames {

    /** How often watched outputs are looked at: what is stranded is sent about two periods later. */
    static final Duration PERIOD = Duration.ofMillis(200);
    /** How long an output stays watched once finished. */
    static final Duration LINGER = Duration.ofSeconds(5);
    private static final long LINGER_LOOKS = LINGER.toNanos() / PERIOD.toNanos();

    private static final System.Logger LOG = System.getLogger("quicpool.transport.kwik");
    private static final ScheduledThreadPoolExecutor SCHEDULER = SharedScheduler.create("quicpool-kwik-lost-frames");
    private static final Queue<Watched> WATCHED = new ConcurrentLinkedQueue<>();
    private static final Object LOCK = new Object();
    /** The periodic look, or null while nothing is watched; written under {@link #LOCK}. */
    private static volatile ScheduledFuture<?> task;

    private StrandedFrames() {
    }

    /**
     * Watches {@code kwikOutput} (Kwik's own stream output) until it has been finished for {@link
     * #LINGER} or {@code senderThread}'s connection ends. Does nothing where Kwik's state cannot be
     * read, for an output that is not Kwik's, or for a connection whose sender thread cannot be woken.
     */
    static void watch(OutputStream kwikOutput, SenderThreadActions senderThread) {
        KwikOutputInternals internals = KwikOutputInternals.get().orElse(null);
        if (internals == null || !internals.reads(kwikOutput) || !senderThread.canWake()) {
            return;
        }
        WATCHED.add(new Watched(kwikOutput, senderThread));
        // Added, then task read; stopIfIdle clears task, then reads WATCHED: one sees the other.
        if (task == null) {
            startIfStopped(internals);
        }
    }

    private static void startIfStopped(KwikOutputInternals internals) {
        synchronized (LOCK) {
            if (task == null) {
                long nanos = PERIOD.toNanos();
                task = SCHEDULER.scheduleWithFixedDelay(() -> look(internals), nanos, nanos, TimeUnit.NANOSECONDS);
            }
        }
    }

    private static void look(KwikOutputInternals internals) {
        for (Iterator<Watched> it = WATCHED.iterator(); it.hasNext(); ) {
            Watched w = it.next();
            try {
                if (!lookAt(w, internals)) {
                    it.remove();
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "stopped watching a Kwik stream output for stranded lost frames", e);
                it.remove();
            }
        }
        stopIfIdle(internals);
    }

    /** One look at one output; false when it needs no more watching. */
    private static boolean lookAt(Watched w, KwikOutputInternals internals) {
        OutputStream output = w.output;
        if (!w.senderThread.canWake()) {
            return false;
        }
        if (internals.finished(output)) {
            w.suspect = false;
            return ++w.finishedLooks < LINGER_LOOKS;
        }
        w.finishedLooks = 0;
        if (!internals.waitsWithoutRequest(output)) {
            w.suspect = false;
            return true;
        }
        if (!w.suspect) {
            w.suspect = true;
            return true;
        }
        w.suspect = false;
        // false: the connection is ending, and its sender thread sends nothing more
        return w.senderThread.submitToSender(() -> {
            if (internals.waitsWithoutRequest(output)) {
                internals.requestSend(output);
                LOG.log(System.Logger.Level.DEBUG, "queued a send request for lost frames or written bytes that Kwik left without one");
            }
        });
    }

    private static void stopIfIdle(KwikOutputInternals internals) {
        synchronized (LOCK) {
            if (!WATCHED.isEmpty() || task == null) {
                return;
            }
            task.cancel(false);
            task = null;
        }
        if (!WATCHED.isEmpty()) {
            startIfStopped(internals); // an output added while this stopped: its watch saw the old task
        }
    }

    /** One output's watch; its mutable fields are read and written by the looks only. */
    private static final class Watched {
        final OutputStream output;
        final SenderThreadActions senderThread;
        /** Seen waiting without a request at the last look. */
        boolean suspect;
        /** Looks in a row that found the output finished. */
        int finishedLooks;

        Watched(OutputStream output, SenderThreadActions senderThread) {
            this.output = output;
            this.senderThread = senderThread;
        }
    }
}
