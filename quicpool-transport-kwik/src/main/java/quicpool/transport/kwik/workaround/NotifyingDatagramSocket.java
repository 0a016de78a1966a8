// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik.workaround;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client connection's UDP socket, connected to the server, that reports its closing.
 *
 * <p>Kwik closes a client connection's socket on every way the connection ends, including an
 * internal abort (for example an ICMP "port unreachable" from a server that went away), for which
 * it raises no disconnect event; the close is therefore the end signal that never fails to come.
 * Being connected, the socket also has a definite local address, and the handshake with a port
 * nobody listens on fails at once instead of after the connect timeout.
 *
 * <p>Kwik's sender thread is the only one that sends through it: each send first runs what was
 * left for that thread ({@link SenderThreadActions}), and a 1-RTT datagram leaves once Kwik has
 * recorded its packets as sent ({@link RecordedSend}). Kwik's receiver thread is the only one that
 * receives through it: each receive notes the time, which {@link UnansweredProbe} reads. Both
 * count their datagrams, which a failed handshake's message reports.
 */
public final class NotifyingDatagramSocket extends DatagramSocket implements RecordedSend.Sink {

    private volatile Runnable onClose = () -> { };
    private final SenderThreadActions senderThread = new SenderThreadActions();
    /** Set by each receive, for {@link UnansweredProbe}. */
    private volatile long lastReceived = System.nanoTime();
    /** Set by each send, for {@link UnansweredProbe}. */
    private volatile long lastSent = System.nanoTime();
    private final AtomicLong datagramsSent = new AtomicLong();
    private final AtomicLong datagramsReceived = new AtomicLong();

    public NotifyingDatagramSocket(InetSocketAddress remote) throws SocketException {
        super();
        try {
            connect(remote);
        } catch (SocketException | RuntimeException e) {
            super.close();
            throw e;
        }
    }

    /** Actions for the sender thread of the connection that sends through this socket. */
    public SenderThreadActions senderThread() {
        return senderThread;
    }

    /** Runs the sender thread's pending actions; a 1-RTT datagram leaves once Kwik has recorded it. */
    @Override
    public void send(DatagramPacket datagram) throws IOException {
        senderThread.runPending();
        RecordedSend.send(this, datagram);
    }

    @Override
    public void sendNow(DatagramPacket datagram) throws IOException {
        super.send(datagram);
        lastSent = System.nanoTime();
        datagramsSent.incrementAndGet();
    }

    public void onClose(Runnable action) {
        onClose = action;
    }

    @Override
    public void close() {
        super.close();
        onClose.run();
    }

    /** When a datagram last arrived ({@link System#nanoTime()}), or when the socket was made. */
    long lastReceived() {
        return lastReceived;
    }

    /** When a datagram last left ({@link System#nanoTime()}), or when the socket was made. */
    long lastSent() {
        return lastSent;
    }

    /** Kwik's receiver thread reads every datagram of the connection here; notes the time. */
    @Override
    public void receive(DatagramPacket p) throws IOException {
        super.receive(p);
        lastReceived = System.nanoTime();
        datagramsReceived.incrementAndGet();
    }

    /** How many datagrams this socket has sent and received, for example {@code "4 datagrams sent, 0 received"}. */
    public String traffic() {
        long sent = datagramsSent.get();
        return sent + (sent == 1 ? " datagram" : " datagrams") + " sent, " + datagramsReceived.get() + " received";
    }
}
