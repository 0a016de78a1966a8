// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik.workaround;

import java.util.concurrent.TimeUnit;

/**
 * Tells a client connection's keep-alive when its server has stopped answering: a keep-alive
 * probe is ack-eliciting, so a server on a working path sends at least an ACK within its
 * max_ack_delay (25 ms by default) plus a round trip; if nothing at all arrives for a whole
 * keep-alive period after a probe, the path is dead.
 *
 * <p>Why: after a NAT rebinding a server that does not follow the client to its new address
 * (Kwik 0.10.8's) hears nothing more from it, and when the old mapping no longer passes the
 * server's packets either, the client hears nothing; Kwik would notice only at its idle timeout
 * (3 keep-alive periods, often more: the timeout grows with the probe timeout), handing out
 * streams on the dead path meanwhile. This ends the connection within 2 keep-alive periods of the
 * rebinding, and the pool evicts its streams and redials.
 *
 * <p>It counts any datagram the connection's socket receives as an answer, so a server that keeps
 * sending (retransmissions to the old address that still reach the client) hides a dead path from
 * it; the server's end of quicpool's Kwik transport ends such a connection itself ({@link
 * RebindingWatch}). A lost probe is not enough to end a connection: Kwik's loss recovery sends
 * probes of its own within the period, and the server answers those.
 */
public final class UnansweredProbe {

    private final NotifyingDatagramSocket socket;
    private final long periodNanos;
    /** When the last probe was sent (about to be), or 0 before the first. */
    private volatile long probeSent;

    public UnansweredProbe(NotifyingDatagramSocket socket, long periodNanos) {
        this.socket = socket;
        this.periodNanos = periodNanos;
    }

    /**
     * Called just before each probe. Returns why the path is dead if nothing arrived since the last
     * probe, sent at least half a period ago (a late probe task may run twice in a row), else
     * null; then notes this probe.
     */
    public String beforeProbe() {
        long now = System.nanoTime();
        long sent = probeSent;
        if (sent != 0 && now - sent >= periodNanos / 2 && socket.lastReceived() - sent < 0) {
            return "no packet from the server for " + TimeUnit.NANOSECONDS.toMillis(now - sent)
                    + " ms after a keep-alive probe: the path is dead (a NAT rebinding the server does not follow,"
                    + " or a network gone silent)";
        }
        probeSent = now;
        return null;
    }
}
