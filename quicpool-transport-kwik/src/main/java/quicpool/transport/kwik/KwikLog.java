// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik;

import java.time.Instant;
import java.util.List;
import quicpool.transport.kwik.workaround.PathMtuProbe;
import quicpool.transport.kwik.workaround.RecordedSend;
import tech.kwik.core.log.NullLogger;

/**
 * Forwards Kwik's errors and warnings to {@code System.Logger} ("quicpool.transport.kwik.stack")
 * at DEBUG and TRACE: Kwik reports many routine events (late packets, closed connections) as
 * errors, and the transport already surfaces what matters as exceptions and close callbacks.
 * An error that carries an unchecked throwable is logged at WARNING: Kwik reports so an exception
 * that ended one of its threads, for example a server connection's packet thread, after which it
 * drops the connection from its table without a word to the client ("aborted due to internal
 * error"), and nothing else would tell of it.
 *
 * <p>Kwik tells its logger of each datagram it sent once it has recorded the packets in it for
 * loss detection; the datagram is sent then ({@link RecordedSend}), and a path-MTU probe takes its
 * next step ({@link PathMtuProbe}).
 */
final class KwikLog extends NullLogger {

    private static final System.Logger LOG = System.getLogger("quicpool.transport.kwik.stack");

    static final KwikLog INSTANCE = new KwikLog();

    private KwikLog() {
    }

    @Override
    public void error(String message) {
        LOG.log(System.Logger.Level.DEBUG, message);
    }

    @Override
    public void error(String message, Throwable error) {
        LOG.log(levelOf(error), message, error);
    }

    /** WARNING for a bug's exception (unchecked), DEBUG for a failure Kwik expects (I/O, TLS). */
    static System.Logger.Level levelOf(Throwable error) {
        return error instanceof RuntimeException || error instanceof Error ? System.Logger.Level.WARNING
                : System.Logger.Level.DEBUG;
    }

    /**
     * Kwik's sender thread calls this once it has recorded a datagram's packets as sent. The list
     * is raw because its element type, Kwik's {@code QuicPacket}, is in a package Kwik does not
     * export; with the erasure of Kwik's signature it still overrides it.
     */
    @Override
    @SuppressWarnings("rawtypes")
    public void sent(Instant sent, List packets) {
        RecordedSend.release();
        PathMtuProbe.sent(packets);
    }

    @Override
    public void warn(String message) {
        LOG.log(System.Logger.Level.TRACE, message);
    }
}
