// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik.workaround;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Tells a client connection's keep-alive when its server has stopped answering: a keep-alive
 * probe is ack-eliciting, so a server on a working path sends at least an ACK within its
 * max_ack_delay plus a round trip; if nothing at all arrives for long after a probe went out, the
 * path is dead.
 *
 * <p>Why: after a NAT rebinding a server that does not follow the client to its new address
 * (Kwik 0.10.8's) hears nothing more from it, and when the old mapping no longer passes the
 * server's packets either, the client hears nothing; Kwik would notice only at its idle timeout
 * (3 keep-alive periods, often more: the timeout grows with the probe timeout), handing out
 * streams on the dead path meanwhile. This ends the connection within about 2 keep-alive periods
 * of the rebinding, and the pool evicts its streams and redials.
 *
 * <p>"Long" is half a keep-alive period, and at least three probe timeouts (PTO, RFC 9002 6.2.1,
 * from the connection's current RTT estimate): RFC 9000 10.1 holds three PTOs as the least
 * silence after which a peer may be given up, and a server slowed by load (its RTT estimate grown
 * to hundreds of milliseconds) still answers, late. The silence is counted from a datagram that
 * left after the probe was asked for: a probe that Kwik holds back (a full congestion window) has
 * not tested the path yet.
 *
 * <p>A check that runs late (more than half a period after it was due: a long GC pause, a starved
 * machine) judges nothing: the client's own threads, which read the server's answers, did not run
 * either, so the silence it would measure is partly its own. It starts watching afresh.
 *
 * <p>It counts any datagram the connection's socket receives as an answer, so a server that keeps
 * sending (retransmissions to the old address that still reach the client) hides a dead path from
 * it; the server's end of quicpool's Kwik transport ends such a connection itself ({@link
 * RebindingWatch}). A lost probe is not enough to end a connection: Kwik's loss recovery sends
 * probes of its own within the period, and the server answers those.
 */
public final class UnansweredProbe {

    /** RFC 9000 10.1: three probe timeouts. */
    private static final int PTOS = 3;

    private final LongSupplier lastReceived;
    private final LongSupplier lastSent;
    private final LongSupplier clock;
    private final long periodNanos;
    /** When the oldest probe not answered yet was asked for ({@link #clock}), or 0 if none. */
    private long unanswered;
    /** When a datagram was first seen to have left after {@link #unanswered}, or 0. */
    private long left;
    /** When the previous check ran ({@link #clock}), or 0 before the first. */
    private long previousCheck;

    /**
     * @param socket      the connection's socket, which notes when a datagram last arrived and left
     * @param periodNanos the keep-alive period
     */
    public UnansweredProbe(NotifyingDatagramSocket socket, long periodNanos) {
        this(socket::lastReceived, socket::lastSent, System::nanoTime, periodNanos);
    }

    UnansweredProbe(LongSupplier lastReceived, LongSupplier lastSent, LongSupplier clock, long periodNanos) {
        this.lastReceived = lastReceived;
        this.lastSent = lastSent;
        this.clock = clock;
        this.periodNanos = periodNanos;
    }

    /**
     * Called by the keep-alive task just before each probe, never concurrently. Returns why the path
     * is dead, else null (and the probe goes out).
     *
     * @param ptoNanos the connection's current probe timeout
     */
    public String beforeProbe(long ptoNanos) {
        long now = clock.getAsLong();
        long previous = previousCheck;
        previousCheck = now;
        boolean late = previous != 0 && now - previous > periodNanos + periodNanos / 2;
        long asked = unanswered;
        if (asked == 0 || late || lastReceived.getAsLong() - asked >= 0) {
            unanswered = now; // answered (or the first probe, or a late check): this probe is the one to watch
            left = 0;
            return null;
        }
        if (left == 0) {
            long sent = lastSent.getAsLong();
            if (sent - asked < 0) {
                return null; // the probe has not left yet
            }
            left = sent; // the last send, not the first: the silence counted is never longer than the real one
        }
        long needed = Math.max(periodNanos / 2, PTOS * ptoNanos);
        if (now - left >= needed) {
            return "no packet from the server for " + TimeUnit.NANOSECONDS.toMillis(now - asked)
                    + " ms after a keep-alive probe, " + TimeUnit.NANOSECONDS.toMillis(now - left)
                    + " ms after it left (at least " + TimeUnit.NANOSECONDS.toMillis(needed)
                    + " ms: half the keep-alive period and " + PTOS + " probe timeouts): the path is dead"
                    + " (a NAT rebinding the server does not follow, or a network gone silent)";
        }
        return null;
    }
}
