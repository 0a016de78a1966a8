// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik;

import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import quicpool.api.spi.QuicSettings;
import quicpool.transport.kwik.workaround.NotifyingDatagramSocket;
import quicpool.transport.kwik.workaround.SharedScheduler;
import quicpool.transport.kwik.workaround.UnansweredProbe;
import tech.kwik.core.QuicClientConnection;
import tech.kwik.core.Statistics;

/**
 * Keeps an idle client connection alive by sending a one-byte DATAGRAM frame (RFC 9221) every
 * keep-alive period from one shared daemon thread. A DATAGRAM is ack-eliciting like a PING, so
 * both ends' idle timers restart; the peer drops its payload.
 *
 * <p>Why not Kwik's own {@code keepAlive(seconds)}: it pings every (peer idle timeout / 2) whole
 * seconds, not every keep-alive period, and runs one non-daemon thread per connection that
 * outlives the connection until the next ping was due, so a JVM exits up to 1.5 keep-alive periods
 * late. Public Kwik offers no other way to send a PING. It stays the fallback for a server that did
 * not announce the DATAGRAM extension (quicpool's Kwik and Netty listeners both do).
 */
final class KeepAlive {

    private static final System.Logger LOG = System.getLogger("quicpool.transport.kwik");
    /** Kwik's keep-alive runs for a given number of seconds; a pool connection needs it for its whole life. */
    private static final int KWIK_KEEP_ALIVE_FOREVER_SECONDS = Integer.MAX_VALUE;
    private static final byte[] PROBE = {0};
    /** RFC 9000 18.2: max_ack_delay's default; quicpool's listeners announce no other. */
    private static final long DEFAULT_MAX_ACK_DELAY_MS = 25;

    private static final ScheduledThreadPoolExecutor SCHEDULER = SharedScheduler.create("quicpool-kwik-keepalive");

    private KeepAlive() {
    }

    /**
     * Starts keeping a connected client connection alive until {@code ended} fires, and fires it
     * when the server answers a probe with nothing for a whole period ({@link UnansweredProbe}).
     */
    static void start(QuicClientConnection quic, QuicSettings settings, CloseSignal ended, InetSocketAddress remote,
                      NotifyingDatagramSocket socket) {
        if (quic.canSendDatagram()) {
            long period = settings.keepAlive().toNanos();
            UnansweredProbe answers = new UnansweredProbe(socket, period);
            ScheduledFuture<?> task = SCHEDULER.scheduleAtFixedRate(() -> probe(quic, remote, answers, ended), period,
                    period, TimeUnit.NANOSECONDS);
            ended.register(() -> task.cancel(false));
            return;
        }
        if (!KwikSettings.keepAliveUsable(settings)) {
            LOG.log(Level.WARNING, () -> "no keep-alive on the connection to " + remote
                    + ": it has no DATAGRAM extension and Kwik's PINGs need an idle timeout of at least "
                    + KwikSettings.MIN_KEEP_ALIVE_IDLE_TIMEOUT + ", was " + settings.idleTimeout());
            return;
        }
        LOG.log(Level.DEBUG, () -> remote + " has no DATAGRAM extension: Kwik's own PINGs keep the connection alive");
        try {
            quic.keepAlive(KWIK_KEEP_ALIVE_FOREVER_SECONDS);
        } catch (IllegalStateException e) {
            // The connection ended right after the handshake; its close signal reports that.
            LOG.log(Level.DEBUG, () -> "no keep-alive: the connection to " + remote + " already ended", e);
        }
    }

    private static void probe(QuicClientConnection quic, InetSocketAddress remote, UnansweredProbe answers,
                              CloseSignal ended) {
        String dead = answers.beforeProbe(probeTimeoutNanos(quic));
        if (dead != null) {
            LOG.log(Level.INFO, () -> "ending the connection to " + remote + ": " + dead + " (" + recovery(quic) + ")");
            ended.fire(dead); // the pool evicts its streams; the dialer's callback closes Kwik's connection
            return;
        }
        try {
            quic.sendDatagram(PROBE);
        } catch (RuntimeException e) {
            // the connection is ending; its close signal cancels this task
            LOG.log(Level.DEBUG, () -> "keep-alive probe to " + remote + " not sent: " + e);
        }
    }

    /**
     * The connection's probe timeout (RFC 9002 6.2.1) from Kwik's RTT estimate: smoothed RTT, four
     * RTT variations (at least 1 ms), and the peer's maximum ACK delay, taken as the default 25 ms;
     * 0 if Kwik gives no estimate.
     */
    private static long probeTimeoutNanos(QuicClientConnection quic) {
        try {
            Statistics stats = quic.getStats();
            long millis = stats.smoothedRtt() + Math.max(4L * stats.rttVar(), 1) + DEFAULT_MAX_ACK_DELAY_MS;
            return TimeUnit.MILLISECONDS.toNanos(millis);
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** What Kwik's loss recovery saw, for the log line of a connection ended as silent. */
    private static String recovery(QuicClientConnection quic) {
        try {
            Statistics stats = quic.getStats();
            return "this end sent " + stats.packetsSent() + " packets, " + stats.lostPackets() + " declared lost; smoothed RTT "
                    + stats.smoothedRtt() + " ms, RTT variation " + stats.rttVar() + " ms";
        } catch (RuntimeException e) {
            return "no loss-recovery figures: " + e;
        }
    }
}
