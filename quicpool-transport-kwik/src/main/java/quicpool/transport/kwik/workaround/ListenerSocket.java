// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik.workaround;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Kwik server connector's UDP socket, which keeps from Kwik the client Initial packets a server
 * must discard, and finishes off (and reports) the connections Kwik refuses in the client's first
 * flight.
 *
 * <p>Why: Kwik 0.10.8 takes any datagram that claims to start with a client's first Initial
 * packet for a connection attempt and keeps it 30 s, even when the packet cannot be decrypted;
 * the connector's {@code close()} waits for such attempts. And it processes the first flight of
 * a new server connection outside its datagram chain, so the actions it queues for "after this
 * datagram" do not run then. For a handshake it refuses there (another ALPN, a ClientHello its
 * TLS engine rejects) one such action is the end of the connection: Kwik sends its
 * CONNECTION_CLOSE but keeps the connection, its receiver and sender threads and its registry
 * entry until the client sends another datagram, which a refused client rarely does. Such dials
 * left two threads each for good, and {@code close()} waited its 30 s timeout for the entries.
 * Kwik exports nothing to reach the connection, and tells no one of the refusal; but every
 * datagram passes through this socket.
 *
 * <p>What it does:
 * <ul>
 *   <li>It drops client Initial packets from sources the listener's admission rule refuses
 *       ({@link SourceAdmission}), before anything else looks at them.</li>
 *   <li>It opens each client Initial packet with the Initial keys (RFC 9001 5.2) and drops those
 *       whose protection does not come off ({@link ClientInitials}), as a server must: they never
 *       become connection attempts. Only datagrams that start with a long-header Initial packet
 *       of version 1 are checked.</li>
 *   <li>It opens each lone Initial packet the server sends with the keys of the client's first
 *       flight. When one carries a CONNECTION_CLOSE, it reports the refused handshake to the
 *       listener, and hands Kwik one more datagram "from that client" for that connection: a
 *       short-header packet to the server's connection ID, which Kwik cannot decrypt and drops,
 *       after which it runs the pending actions and the connection ends. Kwik's receive thread is
 *       blocked in {@link #receive}, so the socket wakes it with a datagram to itself carrying a
 *       random token, and swaps in the pending one. Kwik starts the connection's thread, which
 *       processes the first flight and sends the CONNECTION_CLOSE, before it registers the
 *       connection under the server's ID ({@code ServerConnectionCandidate}), and drops a datagram
 *       for an ID it does not know yet; so the datagram is handed again 50 ms and 1 s later
 *       ({@link #NUDGE_AGAIN_MILLIS}).</li>
 *   <li>It drops Initial packets that arrive later for such a connection (a Kwik client sends its
 *       own CONNECTION_CLOSE). Once the connection has ended Kwik would take each for a new
 *       connection attempt that it keeps for 30 s.</li>
 *   <li>It ends each handshake that has not completed within the listener's bound ({@link
 *       HandshakeBound}): it reports it to the listener and hands Kwik a CONNECTION_CLOSE in a
 *       client Initial packet ({@link ClientClose}), swapped in as above; a handshake whose
 *       Initial keys the server has already dropped (the client sent Handshake packets but never
 *       its Finished) is not ended so, but at Kwik's idle timeout.</li>
 *   <li>It shows every datagram to a {@link RebindingWatch}, which ends a connection whose client
 *       has moved to another address (a NAT rebinding), which Kwik's server cannot follow.</li>
 * </ul>
 */
public final class ListenerSocket extends DatagramSocket implements RecordedSend.Sink {

    /** Told of each handshake the server refused at the Initial level; called on Kwik's sender thread. */
    @FunctionalInterface
    public interface RefusalListener {
        void refused(InetSocketAddress client, String reason);
    }

    private static final System.Logger LOG = System.getLogger("quicpool.transport.kwik");
    private static final int MAX_REMEMBERED = 4096;
    private static final int TOKEN_LENGTH = 16;
    /** Packet number, payload and tag of the undecryptable packet: Kwik routes any short header. */
    private static final int NUDGE_BODY = 20;
    /** Short header (RFC 9000 17.3.1): fixed bit set, 1-byte packet number. */
    private static final byte SHORT_HEADER = 0x40;
    private static final HexFormat HEX = HexFormat.of();
    /**
     * When a refused connection is handed its datagram again: the first can reach Kwik before Kwik
     * has registered the connection under the server's ID, and is then dropped (as is one for a
     * connection that has ended).
     */
    static final List<Long> NUDGE_AGAIN_MILLIS = List.of(50L, 1000L);
    private static final ScheduledThreadPoolExecutor NUDGE_AGAIN = SharedScheduler.create("quicpool-kwik-nudge");

    /** Sees every datagram received, once set (see {@link #watchRebindings}); null before. */
    private volatile RebindingWatch rebindings;
    /** Judges the sources of client Initial packets, once set (see {@link #admit}); null admits all. */
    private volatile SourceAdmission admission;
    /** The deadlines of handshakes in progress, once set (see {@link #boundHandshakes}); null: no bound. */
    private volatile HandshakeBound handshakeBound;
    private final byte[] token = new byte[TOKEN_LENGTH];
    private final InetSocketAddress self;
    private final RefusalListener refusals;
    private final Queue<DatagramPacket> pending = new ConcurrentLinkedQueue<>();
    private final ClientInitials clients = new ClientInitials();
    /** The server's connection IDs of connections refused at the Initial level. */
    private final ExpiringMap<String, Boolean> refused = new ExpiringMap<>(ClientInitials.REMEMBER, MAX_REMEMBERED);
    private final AtomicLong dropped = new AtomicLong();
    /** Per client address, the actions for the sender thread of the connection that sends to it. */
    private final Map<InetSocketAddress, SenderThreadActions> senderThreads = new ConcurrentHashMap<>();

    public ListenerSocket(InetSocketAddress bindAddress, RefusalListener refusals) throws SocketException {
        super(bindAddress);
        this.refusals = refusals;
        new SecureRandom().nextBytes(token);
        self = new InetSocketAddress(reachableSelf(getLocalAddress()), getLocalPort());
    }

    /** An address at which the socket reaches itself: its own, or loopback of its family if bound to all. */
    private static InetAddress reachableSelf(InetAddress local) throws SocketException {
        if (!local.isAnyLocalAddress()) {
            return local;
        }
        try {
            return local instanceof Inet6Address ? InetAddress.getByName("::1") : InetAddress.getByName("127.0.0.1");
        } catch (UnknownHostException e) {
            throw new SocketException("no loopback address: " + e.getMessage());
        }
    }

    /** The actions for the sender thread of the accepted connection with this client. */
    public SenderThreadActions senderThreadFor(InetSocketAddress client) {
        return senderThreads.computeIfAbsent(client, c -> new SenderThreadActions());
    }

    /** Forgets a connection's actions once it has ended. */
    public void forget(InetSocketAddress client, SenderThreadActions actions) {
        senderThreads.remove(client, actions);
    }

    /**
     * Runs what was left for the sending connection's thread ({@link SenderThreadActions}), sends,
     * and watches for Initial-level refusals (see the class comment). A datagram without an Initial
     * packet leaves as {@link RecordedSend} says: a 1-RTT one once Kwik has recorded its packets as sent.
     */
    @Override
    public void send(DatagramPacket datagram) throws IOException {
        SenderThreadActions actions = senderThreads.isEmpty() ? null : senderThreads.get(datagram.getSocketAddress());
        if (actions != null) {
            actions.runPending();
        }
        InitialHeader initial = InitialHeader.parse(datagram.getData(), datagram.getOffset(), datagram.getLength());
        if (initial == null) {
            RecordedSend.send(this, datagram);
            return;
        }
        InetSocketAddress client = (InetSocketAddress) datagram.getSocketAddress();
        byte[] original = clients.originalDestinationId(client, initial.destinationId());
        if (!initial.alone()) {
            // A handshake that goes on sends Handshake packets with its Initial: its deadline starts,
            // before the datagram leaves, so that the handshake cannot complete before it is armed.
            HandshakeBound bound = handshakeBound;
            if (bound != null && original != null) {
                byte[] clientId = initial.destinationId();
                byte[] serverId = initial.sourceId();
                bound.started(client, c -> endHandshake(c, original, clientId, serverId, bound.bound()));
            }
            super.send(datagram);
            return;
        }
        super.send(datagram);
        byte[] payload = original == null ? null
                : InitialProtection.open(InitialProtection.Sender.SERVER, original, datagram.getData(), initial);
        ConnectionClose close = payload == null ? null : InitialFrames.connectionClose(payload);
        if (close == null) {
            return;
        }
        if (refused.putIfAbsent(HEX.formatHex(initial.sourceId()), Boolean.TRUE)) {
            handshakeCompleted(client);
            report(client, close);
        }
        byte[] serverId = initial.sourceId();
        // Kwik's send went out; a failure here is the socket's own and must not fail Kwik's sender.
        nudge(serverId, client, System.Logger.Level.WARNING);
        for (long delay : NUDGE_AGAIN_MILLIS) {
            NUDGE_AGAIN.schedule(() -> nudge(serverId, client, System.Logger.Level.DEBUG), delay, TimeUnit.MILLISECONDS);
        }
    }

    /** Hands Kwik a datagram for the refused connection {@code serverId}, unless the socket has closed. */
    private void nudge(byte[] serverId, InetSocketAddress client, System.Logger.Level level) {
        if (isClosed()) {
            return;
        }
        byte[] packet = nudge(serverId); // a new one each time: Kwik may change the bytes it is given
        swapIn(new DatagramPacket(packet, packet.length, client),
                "end a connection refused in its first flight (its threads stay until the client sends again)", level);
    }

    @Override
    public void sendNow(DatagramPacket datagram) throws IOException {
        super.send(datagram);
    }

    /**
     * Hands Kwik {@code datagram} at its next receive: queues it and wakes Kwik's receive thread
     * with the token; logs at {@code level} (saying it could not {@code what}) when the wake-up
     * cannot be sent.
     */
    private void swapIn(DatagramPacket datagram, String what, System.Logger.Level level) {
        pending.add(datagram);
        try {
            super.send(new DatagramPacket(token, TOKEN_LENGTH, self));
        } catch (IOException e) {
            pending.remove(datagram);
            LOG.log(level, () -> "cannot wake the Kwik listener on " + self + " to " + what + ": " + e);
        }
    }

    @Override
    public void receive(DatagramPacket datagram) throws IOException {
        int capacity = datagram.getData().length - datagram.getOffset();
        while (true) {
            datagram.setLength(capacity);
            super.receive(datagram);
            if (isWakeUp(datagram)) {
                DatagramPacket nudge = pending.poll();
                if (nudge != null) {
                    // Kwik reads a received datagram from index 0 of its buffer.
                    datagram.setData(nudge.getData(), 0, nudge.getLength());
                    datagram.setSocketAddress(nudge.getSocketAddress());
                    return;
                }
                continue;
            }
            SourceAdmission rule = admission;
            if (rule != null && !rule.admits(datagram)) {
                continue;
            }
            RebindingWatch watch = rebindings;
            if (watch != null) {
                watch.received(datagram);
            }
            if (!InitialHeader.claimsInitial(datagram.getData(), datagram.getOffset(), datagram.getLength())) {
                return; // Kwik reads every other packet itself, and starts no connection for it
            }
            InitialHeader initial = InitialHeader.parse(datagram.getData(), datagram.getOffset(), datagram.getLength());
            if (initial != null && refused.get(HEX.formatHex(initial.destinationId())) == null
                    && clients.admits(datagram.getSocketAddress(), datagram.getData(), initial)) {
                return;
            }
            // Malformed, undecryptable, or for a connection that has ended (no new one starts with the server's ID).
            long count = dropped.incrementAndGet();
            SocketAddress from = datagram.getSocketAddress();
            LOG.log(System.Logger.Level.DEBUG, () -> "dropped a client Initial packet from " + from
                    + " that a server must discard (" + count + " so far)");
        }
    }

    /**
     * The largest UDP payload the client at {@code client} accepts, as its first Initial packet
     * said (its max_udp_payload_size transport parameter), or -1 where that packet did not hold its
     * whole ClientHello; asked once per handshake, then forgotten.
     */
    public int takeClientPayloadLimit(InetSocketAddress client) {
        return clients.takePayloadLimit(client);
    }

    /** How many client Initial packets the socket kept from Kwik since it was opened. */
    public long droppedInitials() {
        return dropped.get();
    }

    /** Shows every datagram received from now on to {@code watch}; set before the connector starts. */
    public void watchRebindings(RebindingWatch watch) {
        rebindings = watch;
    }

    /** Drops client Initial packets from the sources {@code rule} refuses; set before the connector starts. */
    public void admit(SourceAdmission rule) {
        admission = rule;
    }

    /**
     * Ends each handshake that has not completed within {@code bound} of the server's answer to the
     * client's first flight (see {@link #endHandshake}); set before the connector starts. The
     * listener tells of each completed handshake by {@link #handshakeCompleted}. The deadlines'
     * timer thread ends with the socket.
     */
    public void boundHandshakes(Duration bound) {
        handshakeBound = new HandshakeBound(bound, "quicpool-kwik-handshake-bound-" + getLocalPort());
    }

    /** The handshake with {@code client} has completed, or its connection has ended: no deadline for it. */
    public void handshakeCompleted(InetSocketAddress client) {
        HandshakeBound bound = handshakeBound;
        if (bound != null) {
            bound.completed(client);
        }
    }

    /**
     * Ends a handshake that outlived its bound: reports it to the listener, keeps the client's
     * later Initial packets for it from Kwik, and hands Kwik a CONNECTION_CLOSE "from the client"
     * ({@link ClientClose}), the one thing that makes Kwik end a server connection in its
     * handshake. Runs on the bound's timer thread; Kwik's receive thread is woken as for a nudge.
     */
    private void endHandshake(InetSocketAddress client, byte[] original, byte[] clientId, byte[] serverId,
                              Duration bound) {
        refused.putIfAbsent(HEX.formatHex(serverId), Boolean.TRUE);
        report(client, "handshake not completed within " + bound);
        byte[] close;
        try {
            close = ClientClose.datagram(original, clientId);
        } catch (java.security.GeneralSecurityException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot end the stalled handshake of " + client
                    + " (it ends at the idle timeout)", e);
            return;
        }
        swapIn(new DatagramPacket(close, close.length, client), "end the stalled handshake of " + client
                + " (it ends at the idle timeout)", System.Logger.Level.WARNING);
    }

    /** Ends the handshakes' deadlines with the socket. */
    @Override
    public void close() {
        HandshakeBound bound = handshakeBound;
        if (bound != null) {
            bound.close();
        }
        super.close();
    }

    /** What {@link #watchRebindings} set, or null. */
    public RebindingWatch rebindings() {
        return rebindings;
    }

    private void report(InetSocketAddress client, ConnectionClose close) {
        report(client, "handshake refused in the client's first flight: " + close.describe());
    }

    private void report(InetSocketAddress client, String reason) {
        LOG.log(System.Logger.Level.DEBUG, () -> client + ": " + reason + "; ending the connection");
        try {
            refusals.refused(client, reason);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "the listener failed on the refused handshake of " + client, e);
        }
    }

    private boolean isWakeUp(DatagramPacket datagram) {
        return datagram.getLength() == TOKEN_LENGTH && datagram.getPort() == self.getPort()
                && Arrays.equals(datagram.getData(), datagram.getOffset(), datagram.getOffset() + TOKEN_LENGTH,
                        token, 0, TOKEN_LENGTH);
    }

    private static byte[] nudge(byte[] serverId) {
        byte[] packet = new byte[1 + serverId.length + NUDGE_BODY];
        packet[0] = SHORT_HEADER;
        System.arraycopy(serverId, 0, packet, 1, serverId.length);
        return packet;
    }
}
