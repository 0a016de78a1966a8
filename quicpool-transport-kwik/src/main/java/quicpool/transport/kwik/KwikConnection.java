// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;
import quicpool.api.TlsInfo;
import quicpool.api.spi.TransportConnection;
import quicpool.api.spi.TransportStream;
import quicpool.transport.kwik.workaround.PeerAbortWatch;
import quicpool.transport.kwik.workaround.SenderThreadActions;
import tech.kwik.core.QuicConnection;
import tech.kwik.core.QuicStream;
import tech.kwik.core.Statistics;

/** One Kwik connection, client or server side, behind the SPI. */
final class KwikConnection implements TransportConnection {

    private static final System.Logger LOG = System.getLogger("quicpool.transport.kwik");
    /** QUIC error codes are 62-bit varints. */
    private static final long MAX_ERROR_CODE = (1L << 62) - 1;

    private final QuicConnection quic;
    private final InetSocketAddress local;
    private final InetSocketAddress remote;
    private final TlsInfo tls;
    private final CloseSignal ended;
    private final StreamOpener opener;
    private final SenderThreadActions senderThread;
    private final PeerAbortWatch peerAborts;
    private final IntSupplier udpPayload;
    private final AtomicBoolean closeCalled = new AtomicBoolean();

    /**
     * @param ended           fired by whoever learns first that the connection ended; the caller
     *                        wires Kwik's end events to it
     * @param peerStreamLimit the number of open streams the peer is expected to allow
     * @param senderThread    runs actions on the connection's sender thread (streams close there)
     * @param peerAbortCheck  how often the connection's streams are checked for the peer's
     *                        STOP_SENDING (see {@link PeerAbortWatch}); the watch ends with the connection
     */
    KwikConnection(QuicConnection quic, InetSocketAddress local, InetSocketAddress remote, TlsInfo tls,
                   CloseSignal ended, int peerStreamLimit, SenderThreadActions senderThread, Duration peerAbortCheck,
                   IntSupplier udpPayload) {
        this.quic = quic;
        this.local = local;
        this.remote = remote;
        this.tls = tls;
        this.ended = ended;
        this.senderThread = senderThread;
        this.udpPayload = udpPayload;
        ended.register(senderThread::detach);
        this.opener = new StreamOpener(quic, Workers.pool(), peerStreamLimit);
        ended.register(opener::connectionClosed);
        this.peerAborts = PeerAbortWatch.start(peerAbortCheck);
        ended.register(peerAborts::stop);
    }

    /** A stream of this connection, watched for the peer's STOP_SENDING once a callback asks for it. */
    KwikStream stream(QuicStream quicStream) {
        return new KwikStream(quicStream, senderThread, peerAborts, ended::reason);
    }

    @Override
    public TransportStream openStream(Duration timeout) throws IOException, InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        if (!isOpen()) {
            throw new IOException("cannot open a stream: the connection to " + remote + " is closed"
                    + ended.reason().map(why -> " (" + why + ")").orElse(""));
        }
        return stream(opener.open(timeout));
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public TlsInfo tlsInfo() {
        return tls;
    }

    @Override
    public boolean isOpen() {
        return !ended.isFired();
    }

    @Override
    public java.util.Optional<String> closeReason() {
        return ended.reason();
    }

    @Override
    public void onClose(Runnable callback) {
        ended.register(callback);
    }

    /**
     * Sends CONNECTION_CLOSE with the application error code and reason, and fires the close
     * callbacks on this thread. Idempotent.
     *
     * @throws IllegalArgumentException if the code is not a QUIC error code (0 to 2^62-1)
     */
    @Override
    public void close(long applicationErrorCode, String reason) {
        if (applicationErrorCode < 0 || applicationErrorCode > MAX_ERROR_CODE) {
            throw new IllegalArgumentException("applicationErrorCode must be between 0 and 2^62-1, was "
                    + applicationErrorCode);
        }
        if (closeCalled.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.DEBUG, () -> "closing the connection to " + remote + ": " + lossFigures());
            try {
                quic.close(applicationErrorCode, reason == null ? "" : reason);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> "Kwik failed to close the connection to " + remote, e);
            }
            ended.fire("closed by this end: application error " + applicationErrorCode + ", " + reason);
        }
    }

    /** Kwik's loss-recovery figures for this end: packets sent and declared lost, RTT estimates. */
    /** The largest UDP payload of the connection's packets (Kwik's, or what a path-MTU probe found); -1 if unknown. */
    int maxUdpPayload() {
        return udpPayload.getAsInt();
    }

    Statistics statistics() {
        return quic.getStats();
    }

    private String lossFigures() {
        try {
            Statistics stats = statistics();
            return "this end sent " + stats.packetsSent() + " packets, " + stats.lostPackets() + " declared lost";
        } catch (RuntimeException e) {
            return "no loss-recovery figures (" + e + ")";
        }
    }

    @Override
    public String toString() {
        return "KwikConnection[" + local + " -> " + remote + (isOpen() ? "" : ", closed") + "]";
    }
}
