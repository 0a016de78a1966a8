// SPDX-License-Identifier: Apache-2.0
/**
 * Workarounds of Kwik behaviour: what the Kwik transport adds below Kwik's API (around its UDP
 * sockets, its sender thread and its stream output) where Kwik itself does something a QUIC server
 * or a pool cannot live with. Internal to the module (not exported). Every one of them was checked
 * against <b>Kwik 0.10.8</b> ({@code tech.kwik:kwik:0.10.8}); {@code KwikVersionTest} (in the
 * module's tests) fails on any other Kwik jar, and each class here must be checked again against a
 * new Kwik before its version and digest are changed there: a new Kwik may make any of them wrong
 * or needless. Each class's own comment has the details.
 *
 * <p>{@link ListenerSocket}: Kwik's server takes any datagram that claims to start with a client's
 * first Initial packet for a connection attempt and keeps it for 30 s, even when the packet cannot
 * be decrypted, and its connector's {@code close()} waits for such attempts; and for a handshake
 * it refuses in the client's first flight (another ALPN, a rejected ClientHello) it sends
 * CONNECTION_CLOSE but keeps the connection, its two threads and its registry entry until the
 * client sends another datagram, telling no one of the refusal. The listener's socket drops
 * undecryptable and refused-source client Initials, reports refused handshakes and hands Kwik the
 * one datagram that lets it end such a connection.
 *
 * <p>{@link LossDetectorAssertion}: Kwik's loss detection asserts a time threshold that it fails
 * to floor at 1 ms; on a connection whose first RTT sample was under a millisecond, with
 * assertions on (as in test runs), the {@code AssertionError} ends the connection's packet thread
 * and Kwik drops the connection without telling the peer. The transport turns off that one
 * class's assertions before any Kwik connection exists.
 *
 * <p>{@link SharedScheduler} works around nothing in Kwik: it makes the one-thread scheduler that
 * {@link PeerAbortWatch} and the transport's keep-alive each share among all connections.
 *
 * <p>{@link PeerAbortWatch}: Kwik 0.10.8 answers a peer's STOP_SENDING by resetting the stream's
 * output and tells no one (no callback, no event); only a later write or flush of that output
 * throws. A pool's idle stream is neither written nor read, so a Kwik end never noticed that its
 * peer closed it, and the slot and the stream's credit leaked. The watch checks each stream with a
 * callback once a keep-alive period with a flush that never blocks ({@link
 * FinOutputStream#peerStopped()}) and reports the peer's abort. A peer's FIN alone is not seen
 * (Kwik shows it only to a read, and a waiting read holds a thread).
 *
 * <p>{@code InitialHeader}: Kwik exports no way to parse a single packet outside a connection, so
 * {@code ListenerSocket} finds the clear-text header of a QUIC version 1 Initial packet at the
 * start of a datagram itself: its connection IDs, where its packet number starts and where the
 * packet ends.
 *
 * <p>{@code InitialProtection}: Kwik neither discards client Initial packets whose protection does
 * not come off nor tells of the refusals it sends at the Initial level, and exports no way to open
 * a packet; this removes the protection of Initial packets of both directions with the Initial
 * keys (RFC 9001 5.2), derived with the HKDF library Kwik itself runs on.
 *
 * <p>{@code InitialFrames}: reads the frames of an Initial packet opened here, so that
 * {@code ListenerSocket} can find the CONNECTION_CLOSE with which Kwik's server refuses a
 * handshake in the client's first flight, which Kwik reports to no one.
 *
 * <p>{@code ConnectionClose}: that CONNECTION_CLOSE as read from the packet (its level, error code
 * and reason), which becomes the refused handshake's report to the listener, since Kwik raises no
 * event for it.
 *
 * <p>{@code VarInt}: QUIC's variable-length integers in the packets read here, decoded by Kwik's
 * own {@code VariableLengthInteger} but in the form these readers need (a position in an array, a
 * limit, no exception for a bad datagram).
 *
 * <p>{@code ClientInitials}: as Kwik's server does not discard client Initial packets whose
 * protection does not come off (RFC 9001 5.2 says a server must), this judges them, and remembers
 * each client's original destination connection ID, whose keys protect its later Initial packets
 * too, and the largest UDP payload the client accepts ({@code ClientPayloadLimit}: its
 * max_udp_payload_size, read from the ClientHello, which Kwik's server keeps to itself).
 *
 * <p>{@code ExpiringMap}: the bounded, time-limited memory behind {@code ClientInitials} and
 * behind {@code ListenerSocket}'s list of refused handshakes, whose late Initial packets it drops
 * because Kwik would take each for a new connection attempt kept for 30 s; bounded so that a flood
 * of such packets cannot grow it.
 *
 * <p>{@link SourceAdmission}: Kwik's server has no hook to refuse a client before it starts a
 * connection, a TLS handshake and threads for it; the listener's admission rule is therefore
 * applied by {@code ListenerSocket} to each datagram that claims to start with a client Initial
 * packet, before Kwik sees it.
 *
 * <p>{@code HandshakeBound}: Kwik's server bounds a handshake only by its idle timeout and exports
 * nothing to end a connection whose handshake is in progress; an abandoned handshake held its
 * threads for that long. The bound keeps a deadline per handshake the server has answered, and
 * at the deadline {@code ListenerSocket} hands Kwik a {@code ClientClose}.
 *
 * <p>{@code ClientClose}: the one packet that makes Kwik's server end a connection in its
 * handshake: a client Initial packet carrying a CONNECTION_CLOSE, protected with the Initial keys
 * of the client's first flight ({@code InitialProtection} seals it), which anyone can derive.
 *
 * <p>{@link RebindingWatch}: Kwik's server drops every datagram of a connection that does not come
 * from the client's first address (its {@code ClientAddressFilter}, with no setting to change it)
 * and keeps sending to that address, so after a NAT rebinding the connection is dead one way while
 * it still hands out streams. The watch ends a server connection whose client shows up at another
 * address while its old one is silent.
 *
 * <p>{@link UnansweredProbe}: on the client's side of such a rebinding Kwik would notice the dead
 * path only at its idle timeout (three keep-alive periods or more), handing out streams on it
 * meanwhile; this ends a client connection when nothing at all answers a keep-alive probe for a
 * whole keep-alive period.
 *
 * <p>{@link NotifyingDatagramSocket}: Kwik raises no disconnect event when a client connection
 * aborts internally (for example on an ICMP "port unreachable"), but it always closes the
 * connection's socket; this client socket reports its close as the end signal, notes each receive
 * for {@code UnansweredProbe}, and runs the actions left for Kwik's sender thread on each send.
 *
 * <p>{@link SenderThreadActions}: Kwik's stream output counts its queued send requests with a
 * check-then-act ({@code StreamOutputStreamImpl.scheduleSendStreamFrameRequest}), so a write or
 * close that races the sender thread can leave bytes, and the FIN behind them, in Kwik's send
 * buffer with no request to send them. Only the sender thread serves requests, so an action run on
 * it cannot meet the race; this runs actions there, asking Kwik for a one-byte DATAGRAM frame to
 * get the thread going.
 *
 * <p>{@link FinOutputStream}: the same race, and Kwik's empty buffer queued for a zero-length
 * write, which keeps FIN from ever being sent, and Kwik's own close, meant for the writing thread
 * only. The stream output hands Kwik chunks of one frame, drops empty writes and sends FIN exactly
 * once, whichever thread asks, on the connection's sender thread.
 *
 * <p>{@link StrandedFrames}: the same race, met by a lost frame that Kwik requeues on the thread
 * that declared the loss: the frame, or the half of it that did not fit the packet, can wait with
 * no request for good, after the stream's close too; and by the bytes of a write that no other
 * write follows (a request waiting for its answer). One shared thread watches every written
 * output and has a request queued on the sender thread for what it finds stranded. It reads
 * Kwik's private state through {@code KwikOutputInternals}, which the JVM allows with Kwik on the
 * class path, or on the module path with {@code --add-opens
 * tech.kwik.core/tech.kwik.core.stream=quicpool.transport.kwik}; without it, nothing is repaired
 * and a warning says so once.
 *
 * <p>{@link DirectRead}: Kwik's stream read waits with one timeout for the whole JVM, ignores
 * interrupts, and interrupts the reading thread when the stream is reset or aborted, possibly
 * after the read returned. Handing each wait to a worker thread avoids that at two thread
 * hand-offs per wait. This takes the steps of Kwik's read on the reader's thread, through {@code
 * KwikInputInternals} (the same flag as above on the module path), waits on Kwik's monitor for a
 * bounded, interruptible time, and has Kwik interrupt an unstarted stand-in thread that wakes the
 * waiting read instead of the reader.
 *
 * <p>{@link SendRoom}: Kwik's send buffer wakes a writer that waits in it for every frame the
 * sender thread takes out, so a writer faster than its connection took a thread hand-off per
 * packet. A writer whose next chunk does not fit waits in the stream's room instead, until the
 * buffer is half empty, woken by the sender thread ({@code SenderThreadActions}) or by whatever
 * ends the stream; it needs the same flag as above on the module path, and without it writers
 * wait inside Kwik's write as before.
 *
 * <p>{@link StreamCredit}: Kwik's public way to open a stream waits for credit without bound and
 * without heeding interrupts, so the transport runs it on a worker thread; where the peer's credit
 * allows a stream now, this opens it on the caller's thread through Kwik's stream manager (the
 * same flag as above on the module path), without the two hand-offs.
 *
 * <p>{@link PathMtuProbe}: Kwik 0.10.8 has no path-MTU discovery and sends at most 1,252 bytes of
 * UDP payload; this probes each connection's path for 1,452 (a packet of PING and PADDING only)
 * and lets the connection's sender use that size once the peer acknowledged the probe. It needs
 * Kwik's {@code impl}, {@code send}, {@code recovery}, {@code packet} and {@code frame} packages,
 * open on the class path.
 *
 * <p>{@link LossTimer}: Kwik gives each connection a loss-detection thread whose scheduler keeps
 * every cancelled timeout queued until its time; Kwik moves the timeout after every packet, so a
 * busy connection's thread woke about a thousand times a second for timeouts long cancelled. The
 * transport puts in its place a timer that only records the new time and wakes, on one thread
 * shared by the JVM's connections, when the latest time comes (same packages as above).
 *
 * <p>{@link RecordedSend}: Kwik sends a datagram before it records its packets for loss
 * detection, and drops an acknowledgement that comes in between for the packets it has no record
 * of yet; the peer soon stops acknowledging them, and Kwik declares them lost, sends them again
 * and halves its congestion window, with nothing lost. Both sockets hold each datagram of Kwik's
 * sender thread that carries a 1-RTT packet (first, or behind the handshake's packets, {@code
 * CoalescedPackets}) until Kwik's logger hears that its packets are recorded, then send it.
 *
 * <p>{@link WarningGuard}: the only way Kwik's public API offers to put the dial's trust manager
 * in sole charge of the server's certificate ({@code noServerCertificateCheck()} then
 * {@code customTrustManager(...)}) makes Kwik print a false "SECURITY WARNING: INSECURE
 * configuration!" to {@code System.out} on every connection build; the guard sets the system
 * property that silences it for the moment of the build only.
 */
package quicpool.transport.kwik.workaround;

