// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik.workaround;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;

/**
 * Sends each 1-RTT datagram of a Kwik connection only once Kwik has recorded its packets as sent.
 * A connection's socket {@linkplain #send holds} the datagram that Kwik's sender thread hands it;
 * Kwik's logger, which Kwik calls on that thread right after the record, {@linkplain #release
 * releases} it.
 *
 * <p>Why: Kwik 0.10.8 (and its master branch) sends a datagram first and records its packets for
 * loss detection after ({@code SenderImpl.send}: {@code socket.send}, then {@code
 * recoveryManager.packetSent}). An acknowledgement that the peer's answer brings in between finds
 * no record of the newest packet and Kwik drops it for that packet. The peer keeps
 * acknowledging the packet only until it learns that its acknowledgement arrived, which the next
 * packet tells it; so the packet is never acknowledged again, and three packets later Kwik
 * declares it lost. It sends its frames again and halves its congestion window, with nothing lost.
 * On loopback, where the answer comes within microseconds, a one-way transfer of 64 MiB met this
 * 40 to 80 times per connection, without a datagram dropped by the kernel, and a window halved
 * that often kept one stream at 40-47 MB/s.
 *
 * <p>Only a datagram that carries a short-header (1-RTT) packet is held, first or after the
 * handshake's long-header packets coalesced before it (a Handshake acknowledgement, until the
 * handshake is confirmed): only Kwik's sender thread sends one, and it calls its logger's {@code
 * sent} right after the record, on the same thread; so nothing is held longer than that.
 * Datagrams of long-header packets alone (the handshake's, and those Kwik's server sends outside
 * a connection, such as Version Negotiation) leave at once. A datagram still held when the same
 * thread hands over the next one (the record failed in between) is sent first.
 *
 * <p>Each thread holds its own datagram (a thread-local), so no lock is taken: Kwik's server
 * connections each send on their own sender thread through the listener's one socket.
 */
public final class RecordedSend {

    /** The socket that sends a held datagram. */
    @FunctionalInterface
    public interface Sink {
        /** Sends {@code datagram} at once. */
        void sendNow(DatagramPacket datagram) throws IOException;
    }

    private static final ThreadLocal<RecordedSend> HELD = ThreadLocal.withInitial(RecordedSend::new);

    private Sink sink;
    private DatagramPacket datagram;

    private RecordedSend() {
    }

    /**
     * Sends {@code datagram} through {@code sink}: at once if it carries no short-header packet;
     * otherwise holds it on this thread until {@link #release()}. Either way first sends a datagram
     * held before on this thread and never released.
     *
     * @throws IOException if a send fails
     */
    public static void send(Sink sink, DatagramPacket datagram) throws IOException {
        RecordedSend held = HELD.get();
        held.sendHeld();
        if (!CoalescedPackets.carryShortHeader(datagram.getData(), datagram.getOffset(), datagram.getLength())) {
            sink.sendNow(datagram);
            return;
        }
        held.sink = sink;
        held.datagram = datagram;
    }

    /**
     * Sends the datagram held on this thread, if any. Kwik's logger calls it when Kwik has recorded
     * a datagram's packets as sent.
     *
     * @throws UncheckedIOException if the send fails; on Kwik's sender thread it ends the
     *                              connection, as a failed send did before it was held
     */
    public static void release() {
        RecordedSend held = HELD.get();
        if (held.datagram == null) {
            return;
        }
        try {
            held.sendHeld();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void sendHeld() throws IOException {
        DatagramPacket d = datagram;
        if (d == null) {
            return;
        }
        Sink s = sink;
        datagram = null;
        sink = null;
        s.sendNow(d);
    }
}
