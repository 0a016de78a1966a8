// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik.workaround;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * A Kwik stream's output: hands bytes to Kwik in chunks that fit one QUIC frame, and sends FIN
 * exactly once, whichever thread asks (Kwik's own close is meant for the writing thread only), on
 * the connection's sender thread.
 *
 * <p>Both work around one race in Kwik 0.10.8 (and its master branch), explained in {@link
 * SenderThreadActions}: a write or close that queues a send request while the sender thread serves
 * it can leave part of the buffered bytes with no request. A later write queues one again, so
 * bytes left behind by a write go out with the next write or the close; the close itself runs on
 * the sender thread, where the race cannot happen, so nothing is left behind it. Chunks that fit
 * one frame keep the race rare while a writer is blocked on Kwik's full send buffer (which only a
 * request can empty): measured on loopback on a loaded 2-CPU machine, 5 of 40 one-MiB echoes hung
 * with 25 KiB writes (Kwik's own split), 0 of 120 with 1 KiB chunks. Frames shrunk by other frames
 * sharing a packet can still leave part of a chunk behind; a writer that then blocks on a full
 * send buffer would wait until a retransmission or the peer's flow-control credit queues a
 * request, so a {@link StalledWriteCheck} watches each write and has one queued.
 *
 * <p>The same race strikes lost frames that Kwik requeues, and the bytes of a write that no other
 * follows for a while; from its first write or its close, the output is watched by {@link
 * StrandedFrames}, which gets them sent where the JVM lets it read Kwik's state.
 *
 * <p>A writer whose next chunk does not fit in Kwik's send buffer waits in the stream's {@link
 * SendRoom} (where Kwik's internals are readable) until the buffer is half empty, instead of being
 * woken inside Kwik's write for every frame the sender thread takes out; a close from another
 * thread ends that wait, and the write then fails.
 *
 * <p>Zero-length writes are dropped: Kwik queues an empty buffer for them, which, left in front
 * of the end-of-stream marker, keeps FIN from ever being sent.
 */
public final class FinOutputStream extends OutputStream {

    /** Fits one QUIC frame: packets carry about 1,200 bytes of frames on IPv4 and IPv6. */
    static final int CHUNK = 1024;

    private static final System.Logger LOG = System.getLogger("quicpool.transport.kwik");

    private static final byte[] NOTHING = new byte[0];

    private final OutputStream sink;
    private final SenderThreadActions senderThread;
    private final AtomicBoolean finSent = new AtomicBoolean();
    private final StalledWriteCheck stalls = new StalledWriteCheck(this);
    /** Where a writer waits for room in Kwik's send buffer; null: inside Kwik's write. */
    private final SendRoom room;
    private final BooleanSupplier closed = finSent::get;
    /** Whether {@link StrandedFrames} watches the output yet (from the first write or the close). */
    private final AtomicBoolean watched = new AtomicBoolean();
    /** The thread inside {@link #write(byte[], int, int)}, or null. */
    private volatile Thread writer;
    /** Chunks handed to Kwik so far; written by the writing thread only. */
    private volatile long chunks;

    public FinOutputStream(OutputStream sink, SenderThreadActions senderThread) {
        this.sink = sink;
        this.senderThread = senderThread;
        this.room = SendRoom.of(sink, senderThread);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return;
        }
        if (finSent.get()) {
            throw new IOException("output already closed (FIN sent)");
        }
        writer = Thread.currentThread();
        watchForStrandedFrames();
        stalls.writeStarted();
        try {
            for (int done = 0; done < len; ) {
                int n = Math.min(CHUNK, len - done);
                if (room != null) {
                    room.awaitRoom(n, closed);
                    if (finSent.get()) {
                        throw new IOException("output closed (FIN sent) during the write");
                    }
                }
                sink.write(b, off + done, n);
                chunks = chunks + 1;
                done += n;
            }
        } finally {
            writer = null;
        }
    }

    Thread writer() {
        return writer;
    }

    long chunksWritten() {
        return chunks;
    }

    /**
     * Asks the sender thread for an empty write, which queues a send request (see {@link
     * StalledWriteCheck}), if the writer is still parked then. Why an empty write is safe there:
     * while it runs, the writer cannot move, because only the sender thread makes room in the full
     * buffer it waits on; so Kwik's empty buffer goes in before the writer's next chunk, never
     * between the last bytes and the FIN (where Kwik would keep the FIN back for good, see the class
     * comment). Nothing happens on a connection whose sender thread cannot be woken.
     */
    void unstick() {
        senderThread.submitToSender(() -> {
            Thread parked = writer;
            if (parked == null || finSent.get() || !StalledWriteCheck.parkedOnCondition(parked)) {
                return;
            }
            try {
                sink.write(NOTHING, 0, 0);
                LOG.log(System.Logger.Level.DEBUG, "queued a send request for a writer parked on Kwik's full send buffer");
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> "Kwik refused an empty write to a stalled output: " + e);
            }
        });
    }

    @Override
    public void flush() {
        // Kwik sends written bytes as soon as flow control allows; nothing is held back.
    }

    /**
     * True when this end sent no FIN yet but Kwik's output refuses a flush: the peer asked this end
     * to stop sending (STOP_SENDING, which Kwik 0.10.8 turns into a silent reset of the output), or
     * the connection ended. Never blocks: Kwik's flush only checks the output's state (see {@link
     * PeerAbortWatch}).
     */
    public boolean peerStopped() {
        if (finSent.get()) {
            return false;
        }
        try {
            sink.flush();
            return false;
        } catch (IOException e) {
            return !finSent.get(); // our own close, racing this check, also makes Kwik refuse
        }
    }

    /**
     * Sends FIN after the bytes already written: asks the sender thread to close Kwik's output,
     * and returns. Idempotent; later writes fail.
     */
    @Override
    public void close() {
        if (finSent.compareAndSet(false, true)) {
            if (room != null) {
                room.wake();
            }
            watchForStrandedFrames();
            senderThread.submit(this::closeSink);
        }
    }

    private void watchForStrandedFrames() {
        if (!watched.get() && watched.compareAndSet(false, true)) {
            StrandedFrames.watch(sink, senderThread);
        }
    }

    private void closeSink() {
        try {
            sink.close();
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "Kwik refused to close a stream's output: " + e);
        }
    }
}
