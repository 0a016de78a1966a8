// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik.workaround;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import tech.kwik.core.QuicConnection;

/**
 * Runs actions on one Kwik connection's sender thread, which calls {@link #runPending()} through
 * the connection's UDP socket each time it sends a datagram.
 *
 * <p>Why: Kwik 0.10.8 (and its master branch) counts a stream's queued send requests with a
 * check-then-act ({@code StreamOutputStreamImpl.scheduleSendStreamFrameRequest}: read the count,
 * queue a request, then increment). When the sender thread serves the request in between and can
 * put only part of the buffered bytes into its frame, it sees no request counted and queues none
 * for the rest; the rest, and the FIN behind it, then wait for the stream's next write, which
 * after a close never comes. Seen in quicpool's tests about once in a few thousand half-closed
 * echoes on a busy 2-core machine: 494 bytes and the FIN left in Kwik's send buffer, no request
 * queued, the peer's reader waiting for good. A close run on the sender thread itself cannot
 * meet the race, because only that thread serves requests, so it closes the stream's output
 * here: after a close, everything written, FIN included, goes out.
 *
 * <p>To get the sender thread to run the action soon, {@link #submit} asks Kwik to send a
 * one-byte DATAGRAM frame (RFC 9221), which quicpool's peers drop, like the keep-alive probes.
 * A connection that cannot send one (its peer did not announce the extension, or it is ending)
 * runs the action on the calling thread, as Kwik's own API would.
 *
 * <p>Before each datagram it also lets the connection's writers that wait for room in a send
 * buffer go on where there is room now ({@link SendRoom}).
 */
public final class SenderThreadActions {

    private static final System.Logger LOG = System.getLogger("quicpool.transport.kwik");
    private static final byte[] WAKE = {0};

    /** Runs every action at once, on the calling thread: for streams that are only closed. */
    public static final SenderThreadActions DIRECT = new SenderThreadActions();

    private final Queue<Runnable> pending = new ConcurrentLinkedQueue<>();
    private final Queue<SendRoom> waitingForRoom = new ConcurrentLinkedQueue<>();
    private volatile QuicConnection quic;

    /** Sends the wake-up DATAGRAMs through {@code quic} from now on. */
    public void attach(QuicConnection quic) {
        this.quic = quic;
    }

    /** Stops waking the sender thread: its connection has ended. Later actions run on their caller. */
    public void detach() {
        this.quic = null;
    }

    /** Whether {@link #submitToSender} can get actions run on the sender thread. */
    boolean canWake() {
        QuicConnection q = quic;
        return q != null && q.canSendDatagram();
    }

    /**
     * Runs {@code action} on the sender thread soon, or on this thread if the connection cannot wake
     * it (with any actions still waiting: the sender may send nothing more).
     */
    void submit(Runnable action) {
        if (!submitToSender(action)) {
            action.run();
            runPending();
        }
    }

    /**
     * Runs {@code action} on the sender thread soon and returns true; or returns false, running
     * nothing, if the connection cannot wake that thread (no DATAGRAM extension, or ending).
     */
    boolean submitToSender(Runnable action) {
        QuicConnection q = quic;
        if (q == null || !q.canSendDatagram()) {
            return false;
        }
        pending.add(action);
        try {
            q.sendDatagram(WAKE);
            return true;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "no DATAGRAM to wake Kwik's sender (" + e + ")");
            pending.remove(action);
            return false;
        }
    }

    /**
     * Runs {@code action} on the sender thread before the next datagram it sends for its own
     * reasons (data, acknowledgements, keep-alive), without waking it; never if it sends no more.
     */
    void onNextSend(Runnable action) {
        pending.add(action);
    }

    /** {@code room}'s writer waits for room until {@link #doneWaiting}. */
    void waitForRoom(SendRoom room) {
        waitingForRoom.add(room);
    }

    void doneWaiting(SendRoom room) {
        waitingForRoom.remove(room);
    }

    /** Called by the connection's socket on the sender thread, before each datagram it sends. */
    void runPending() {
        if (!waitingForRoom.isEmpty()) {
            for (SendRoom room : waitingForRoom) {
                room.wakeIfRoom();
            }
        }
        for (Runnable action; (action = pending.poll()) != null; ) {
            try {
                action.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "an action on Kwik's sender thread failed", e);
            }
        }
    }
}
