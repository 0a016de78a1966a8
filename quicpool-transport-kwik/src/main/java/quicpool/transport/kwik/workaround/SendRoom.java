// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik.workaround;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Where a writer of one Kwik stream waits for room in Kwik's send buffer: until the buffer is half
 * empty, woken by the connection's sender thread, instead of inside Kwik's write.
 *
 * <p>Why: Kwik 0.10.8's write of a chunk that does not fit waits on the send buffer's condition,
 * which the sender thread signals for every frame it takes out of the buffer ({@code
 * SendBuffer.getStreamFrame}). A writer faster than its connection (a bulk transfer, an echo)
 * was therefore woken for each packet, wrote one chunk and waited again: a thread hand-off per
 * packet, the largest group of wake-ups in a Kwik echo (33,000 of about 160,000 in 4 s, traced with
 * {@code perf record -e sched:sched_wakeup}). Here a writer whose next chunk would not fit parks
 * until the buffer holds at most half its capacity, then writes the chunks that fit without
 * waiting: one wake-up per half buffer (25 KiB of Kwik's default 50 KiB, about 20 packets).
 *
 * <p>Who wakes it: the connection's sender thread, which checks the connection's waiting writers
 * before each datagram it sends ({@link SenderThreadActions#runPending()}), that is after taking
 * that datagram's frames out of the buffers; Kwik's reset of the output (the peer's STOP_SENDING)
 * and its abort (the connection ended), which interrupt the thread Kwik takes for blocked in the
 * buffer, here a stand-in that unparks the writer (as in {@link DirectRead}); the output's own
 * close ({@link #wake()}); an interrupt of the writer. A look of {@link StalledWriteCheck} covers
 * bytes that Kwik's send-request race leaves with no request, as it does for a writer inside
 * Kwik's write.
 *
 * <p>One writer at a time per stream, as {@link FinOutputStream} has.
 */
final class SendRoom {

    private final OutputStream output;
    private final KwikOutputInternals kwik;
    private final Object sendBuffer;
    /** Kwik's count of the bytes in the send buffer. */
    private final AtomicInteger buffered;
    private final int capacity;
    /** A waiting writer goes on once the buffer holds at most this many bytes. */
    private final int resumeAt;
    private final SenderThreadActions senderThread;
    /** Made by the first wait; written and read by the writer only. */
    private Thread standIn;
    /** The parked writer, or null. */
    private volatile Thread waiter;

    private SendRoom(OutputStream output, KwikOutputInternals kwik, SenderThreadActions senderThread) {
        this.output = output;
        this.kwik = kwik;
        this.sendBuffer = kwik.sendBuffer(output);
        this.buffered = kwik.bufferedBytes(sendBuffer);
        this.capacity = kwik.capacity(sendBuffer);
        this.resumeAt = capacity / 2;
        this.senderThread = senderThread;
    }

    /**
     * The room of Kwik's stream output {@code kwikOutput}, or null where writers must wait inside
     * Kwik's write: Kwik's stream package closed to this module, not Kwik 0.10.8's output, a
     * stream whose sender thread does not run {@link SenderThreadActions#runPending()}, or a send
     * buffer whose half holds less than one of {@link FinOutputStream}'s chunks.
     */
    static SendRoom of(OutputStream kwikOutput, SenderThreadActions senderThread) {
        if (senderThread == SenderThreadActions.DIRECT) {
            return null;
        }
        SendRoom room = KwikOutputInternals.get().filter(kwik -> kwik.reads(kwikOutput))
                .map(kwik -> new SendRoom(kwikOutput, kwik, senderThread)).orElse(null);
        // half the buffer must hold a chunk, or a writer waiting for half could wait for good
        return room != null && room.resumeAt >= FinOutputStream.CHUNK ? room : null;
    }

    /**
     * Returns at once when {@code length} (at most {@link FinOutputStream#CHUNK}) more bytes fit in
     * Kwik's send buffer; otherwise waits until it is half empty, Kwik's output refuses writes
     * (reset or aborted: the caller's write then fails in Kwik), or {@code stopped} holds.
     *
     * @param stopped checked before each wait; {@link #wake()} makes the writer check it
     * @throws InterruptedIOException if the writer is interrupted while it waits (the interrupt is
     *         consumed, as in Kwik's own write)
     */
    void awaitRoom(int length, BooleanSupplier stopped) throws IOException {
        if (buffered.get() + length <= capacity) {
            return;
        }
        if (standIn == null) {
            standIn = new StandIn("quicpool-kwik-write-stand-in", this::wake);
        }
        waiter = Thread.currentThread();
        kwik.blockedWriter(sendBuffer, standIn);
        senderThread.waitForRoom(this);
        try {
            // Each waker first changes what this reads (the count, Kwik's flags, stopped), then reads
            // waiter or the stand-in's name, both written above: either it sees this writer, or
            // this sees the change.
            while (buffered.get() > resumeAt && !kwik.refusesWrites(output) && !stopped.getAsBoolean()) {
                LockSupport.park(this);
                if (Thread.interrupted()) {
                    throw new InterruptedIOException("interrupted while waiting for room in the send buffer of a QUIC stream");
                }
            }
        } finally {
            senderThread.doneWaiting(this);
            kwik.blockedWriter(sendBuffer, null);
            waiter = null;
        }
    }

    /** On the sender thread, after frames left the buffer: lets a waiting writer go on if it may. */
    void wakeIfRoom() {
        Thread parked = waiter;
        if (parked != null && buffered.get() <= resumeAt) {
            LockSupport.unpark(parked);
        }
    }

    /** Has a waiting writer check its conditions again. */
    void wake() {
        Thread parked = waiter;
        if (parked != null) {
            LockSupport.unpark(parked);
        }
    }
}
