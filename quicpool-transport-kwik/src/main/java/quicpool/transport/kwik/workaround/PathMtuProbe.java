// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik.workaround;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import tech.kwik.core.QuicConnection;

/**
 * Path-MTU discovery for a Kwik connection (RFC 9000 14.3), which Kwik 0.10.8 lacks: it sends at
 * most 1,252 bytes of UDP payload over IPv4 and 1,232 over IPv6 ({@code
 * QuicConnectionImpl.getMaxPacketSize}), whatever the path carries. This sends one probe of {@link
 * #TARGET} bytes, a packet of PING and PADDING only, and once the peer acknowledges it lets the
 * connection's sender ({@code SenderImpl.maxPacketSize}) build packets of that size. A probe not
 * acknowledged in time (lost on a path with a smaller MTU, or by chance) leaves the size as it was;
 * after {@link #ATTEMPTS} such probes, one a second, the connection keeps Kwik's size. Only the
 * probe is ever larger than the size in use, so no stream data rides in a packet the path may not
 * carry: Kwik 0.10.8 could not send such data again in smaller packets. Kwik's congestion
 * controller counts a lost probe as a loss (RFC 9000 14.4 says it should not): at most {@link
 * #ATTEMPTS} per connection.
 *
 * <p>The probe is built on the connection's sender thread: between two datagrams (when Kwik's
 * logger hears of one, {@link #sent}) it raises the size and queues the probe, which Kwik's packet
 * assembler puts alone into the next packet, ahead of other data and outside congestion control;
 * when that packet is recorded, the size goes back. A timer then checks Kwik's loss-detection
 * record of the packet.
 *
 * <p>Reaches into Kwik's {@code impl}, {@code send}, {@code recovery}, {@code packet} and {@code
 * frame} packages: on the class path always; on the module path only where they are
 * opened to this module, and elsewhere connections keep Kwik's size.
 */
public final class PathMtuProbe {

    /** The size probed for: what a 1,500-byte Ethernet MTU carries over IPv6, as quic-go and quiche grow to. */
    public static final int TARGET = 1452;
    /** Probes sent before a connection keeps Kwik's size. */
    static final int ATTEMPTS = 3;
    /**
     * Tries to build a probe, sent or not: Kwik's assembler turns a probe into a lone PING where an
     * acknowledgement that cannot wait takes room in its packet.
     */
    static final int TRIES = 10;
    /** Between a probe that was not acknowledged and the next. */
    static final long RETRY_MILLIS = 1000;
    /** Added to three smoothed round trips for the peer's acknowledgement: QUIC's default max_ack_delay, twice. */
    private static final long ACK_DELAY_MILLIS = 50;

    private static final System.Logger LOG = System.getLogger("quicpool.transport.kwik");
    private static final Handles HANDLES = Handles.find();
    /** The probe its sender thread is building: set there by the action that starts it. */
    private static final ThreadLocal<PathMtuProbe> BUILDING = new ThreadLocal<>();
    private static final ScheduledThreadPoolExecutor TIMER = SharedScheduler.create("quicpool-kwik-path-mtu");

    private final QuicConnection quic;
    private final Object sender;
    private final SenderThreadActions senderThread;
    private final int size;
    private int tries;
    private int sentProbes;
    // Used on the sender thread while a probe is built, then by the timer: handed over by the queue.
    private Object padding;
    private int sizeBefore;
    private Object record;
    private int probeSize;
    /** The size of the connection's packets other than the probe: Kwik's, then what an acknowledged probe carried. */
    private volatile int inUse;

    private PathMtuProbe(QuicConnection quic, Object sender, SenderThreadActions senderThread, int size) {
        this.quic = quic;
        this.sender = sender;
        this.senderThread = senderThread;
        this.size = size;
        this.inUse = maxPacketSize(sender);
    }

    /**
     * Starts probing the path of the established connection {@code quic} for {@link #TARGET} bytes,
     * or the peer's limit if smaller; does nothing where that is no more than the connection sends
     * already, or where this cannot probe (Kwik's packages closed). The probe leaves with the
     * connection's next datagram, whatever it is sent for.
     *
     * @param peerLimit the peer's max_udp_payload_size transport parameter, or -1 if unknown (no probe)
     * @return the largest UDP payload of the connection's packets from now on: Kwik's until the
     *         peer acknowledges a probe, then the probe's (never the probe's own size while it is
     *         being built); -1 where it cannot be read
     */
    public static IntSupplier start(QuicConnection quic, SenderThreadActions senderThread, int peerLimit) {
        if (HANDLES == null) {
            return () -> -1;
        }
        Object sender;
        try {
            sender = HANDLES.sender.invokeExact(quic);
        } catch (Throwable e) {
            throw new IllegalStateException("reaching Kwik's sender failed", e);
        }
        if (sender == null) {
            return () -> -1;
        }
        int size = Math.min(TARGET, peerLimit);
        if (peerLimit <= 0 || size <= maxPacketSize(sender)) {
            return () -> maxPacketSize(sender);
        }
        PathMtuProbe probe = new PathMtuProbe(quic, sender, senderThread, size);
        probe.attempt();
        return () -> probe.inUse;
    }

    /**
     * The largest UDP payload the server of the client connection {@code quic} accepts (its
     * max_udp_payload_size), or -1 where it cannot be read.
     */
    public static int serverLimit(QuicConnection quic) {
        if (HANDLES == null) {
            return -1;
        }
        try {
            Object parameters = HANDLES.peerParameters.invokeExact(quic);
            return parameters == null ? -1 : (int) HANDLES.peerMaxUdpPayload.invokeExact(parameters);
        } catch (ClassCastException e) {
            return -1; // a server's connection
        } catch (Throwable e) {
            throw new IllegalStateException("reading Kwik's transport parameters failed", e);
        }
    }

    /**
     * Kwik's logger heard, on a sender thread, that a datagram's packets were recorded as sent:
     * the moment between two datagrams at which a probe this thread builds takes its next step.
     */
    public static void sent(List<?> packets) {
        PathMtuProbe probe = BUILDING.get();
        if (probe != null) {
            probe.step(packets);
        }
    }

    private void attempt() {
        tries++;
        senderThread.onNextSend(() -> BUILDING.set(this));
    }

    /** On the sender thread, after a datagram: queue the probe, or, after the probe's datagram, end it. */
    private void step(List<?> packets) {
        try {
            if (padding == null) {
                queueProbe();
                return;
            }
            BUILDING.remove();
            HANDLES.maxPacketSize.setVolatile(sender, sizeBefore);
            for (Object packet : packets) {
                List<?> frames = (List<?>) HANDLES.frames.invokeExact(packet);
                if (frames.stream().anyMatch(f -> f == padding)) {
                    sentProbes++;
                    probeSize = (int) HANDLES.packetSize.invokeExact(packet);
                    Long number = (Long) HANDLES.packetNumber.invokeExact(packet);
                    record = HANDLES.sentLog(sender).get(number);
                }
            }
            padding = null;
            scheduleCheck(record == null ? 0 : 3L * Math.max(1, quic.getStats().smoothedRtt()) + ACK_DELAY_MILLIS);
        } catch (Throwable e) {
            BUILDING.remove();
            HANDLES.maxPacketSize.setVolatile(sender, Math.min(sizeBefore, maxPacketSize(sender)));
            LOG.log(System.Logger.Level.WARNING, "a path-MTU probe failed; the connection keeps its datagram size", e);
        }
    }

    private void queueProbe() throws Throwable {
        sizeBefore = maxPacketSize(sender);
        // A short header packet: flags, the peer's connection ID, a packet number of 4 bytes at most,
        // the frames, the AEAD tag. The packet may come out up to 3 bytes short: its size is read back.
        int overhead = 1 + HANDLES.destinationIdLength(quic) + 4 + 16;
        padding = HANDLES.padding.invokeExact(size - overhead - 1);
        Object ping = HANDLES.ping.invokeExact();
        HANDLES.maxPacketSize.setVolatile(sender, size);
        HANDLES.sendProbe.invokeExact(sender, List.of(ping, padding), HANDLES.app);
    }

    private void scheduleCheck(long delayMillis) {
        try {
            TIMER.schedule(this::check, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // Never shut down: not reached.
        }
    }

    /** On the timer: keep the size if the peer acknowledged the probe, else try again or give up. */
    private void check() {
        boolean acknowledged;
        try {
            acknowledged = record != null && (boolean) HANDLES.acknowledged.invokeExact(record);
        } catch (Throwable e) {
            throw new IllegalStateException("reading Kwik's record of a probe failed", e);
        }
        record = null;
        if (acknowledged) {
            int now = maxPacketSize(sender);
            if (probeSize > now) {
                // Raising, from any thread: the sender reads it per packet, then again, no smaller,
                // for the buffer the packet goes in.
                HANDLES.maxPacketSize.setVolatile(sender, probeSize);
            }
            inUse = Math.max(now, probeSize);
            LOG.log(System.Logger.Level.DEBUG, () -> "the path to " + quic + " carries " + probeSize
                    + "-byte datagrams");
        } else if (sentProbes < ATTEMPTS && tries < TRIES) {
            try {
                TIMER.schedule(this::attempt, RETRY_MILLIS, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // Never shut down: not reached.
            }
        }
    }

    private static int maxPacketSize(Object sender) {
        return (int) HANDLES.maxPacketSize.getVolatile(sender);
    }

    private record Handles(MethodHandle sender, VarHandle maxPacketSize, MethodHandle sendProbe, Object app,
                           MethodHandle ping, MethodHandle padding, MethodHandle frames, MethodHandle packetNumber,
                           MethodHandle packetSize, MethodHandle recoveryManager, MethodHandle lossDetectors,
                           MethodHandle sentLog, int appSpace, MethodHandle acknowledged,
                           MethodHandle destinationId, MethodHandle peerParameters,
                           MethodHandle peerMaxUdpPayload) {

        int destinationIdLength(QuicConnection quic) throws Throwable {
            return ((byte[]) destinationId.invokeExact(quic)).length;
        }

        Map<?, ?> sentLog(Object sender) throws Throwable {
            Object manager = recoveryManager.invokeExact(sender);
            Object[] detectors = (Object[]) lossDetectors.invokeExact(manager);
            return (Map<?, ?>) sentLog.invokeExact(detectors[appSpace]);
        }

        static Handles find() {
            try {
                Class<?> connection = Class.forName("tech.kwik.core.impl.QuicConnectionImpl");
                Class<?> client = Class.forName("tech.kwik.core.impl.QuicClientConnectionImpl");
                Class<?> parameters = Class.forName("tech.kwik.core.impl.TransportParameters");
                Class<?> senderClass = Class.forName("tech.kwik.core.send.SenderImpl");
                Class<?> level = Class.forName("tech.kwik.core.common.EncryptionLevel");
                Class<?> space = Class.forName("tech.kwik.core.common.PnSpace");
                Class<?> frame = Class.forName("tech.kwik.core.frame.QuicFrame");
                Class<?> pingFrame = Class.forName("tech.kwik.core.frame.PingFrame");
                Class<?> paddingFrame = Class.forName("tech.kwik.core.frame.Padding");
                Class<?> packet = Class.forName("tech.kwik.core.packet.QuicPacket");
                Class<?> recovery = Class.forName("tech.kwik.core.recovery.RecoveryManager");
                Class<?> detector = Class.forName("tech.kwik.core.recovery.LossDetector");
                Class<?> status = Class.forName("tech.kwik.core.recovery.PacketStatus");
                MethodHandles.Lookup inImpl = MethodHandles.privateLookupIn(connection, MethodHandles.lookup());
                MethodHandles.Lookup inSend = MethodHandles.privateLookupIn(senderClass, MethodHandles.lookup());
                MethodHandles.Lookup inFrame = MethodHandles.privateLookupIn(frame, MethodHandles.lookup());
                MethodHandles.Lookup inPacket = MethodHandles.privateLookupIn(packet, MethodHandles.lookup());
                MethodHandles.Lookup inRecovery = MethodHandles.privateLookupIn(recovery, MethodHandles.lookup());
                return new Handles(
                        inImpl.findVirtual(connection, "getSender", MethodType.methodType(senderClass))
                                .asType(MethodType.methodType(Object.class, QuicConnection.class)),
                        inSend.findVarHandle(senderClass, "maxPacketSize", int.class),
                        inSend.findVirtual(senderClass, "sendProbe", MethodType.methodType(void.class, List.class, level))
                                .asType(MethodType.methodType(void.class, Object.class, List.class, Object.class)),
                        enumConstant(level, "App"),
                        inFrame.findConstructor(pingFrame, MethodType.methodType(void.class))
                                .asType(MethodType.methodType(Object.class)),
                        inFrame.findConstructor(paddingFrame, MethodType.methodType(void.class, int.class))
                                .asType(MethodType.methodType(Object.class, int.class)),
                        inPacket.findVirtual(packet, "getFrames", MethodType.methodType(List.class))
                                .asType(MethodType.methodType(List.class, Object.class)),
                        inPacket.findVirtual(packet, "getPacketNumber", MethodType.methodType(Long.class))
                                .asType(MethodType.methodType(Long.class, Object.class)),
                        inPacket.findVirtual(packet, "getSize", MethodType.methodType(int.class))
                                .asType(MethodType.methodType(int.class, Object.class)),
                        inSend.findGetter(senderClass, "recoveryManager", recovery)
                                .asType(MethodType.methodType(Object.class, Object.class)),
                        inRecovery.findGetter(recovery, "lossDetectors", detector.arrayType())
                                .asType(MethodType.methodType(Object[].class, Object.class)),
                        MethodHandles.privateLookupIn(detector, MethodHandles.lookup())
                                .findGetter(detector, "packetSentLog", java.util.SortedMap.class)
                                .asType(MethodType.methodType(Map.class, Object.class)),
                        ((Enum<?>) enumConstant(space, "App")).ordinal(),
                        MethodHandles.privateLookupIn(status, MethodHandles.lookup())
                                .findVirtual(status, "acked", MethodType.methodType(boolean.class))
                                .asType(MethodType.methodType(boolean.class, Object.class)),
                        inImpl.findVirtual(connection, "getDestinationConnectionId", MethodType.methodType(byte[].class))
                                .asType(MethodType.methodType(byte[].class, QuicConnection.class)),
                        inImpl.findVirtual(client, "getPeerTransportParameters", MethodType.methodType(parameters))
                                .asType(MethodType.methodType(Object.class, QuicConnection.class)),
                        inImpl.findVirtual(parameters, "getMaxUdpPayloadSize", MethodType.methodType(int.class))
                                .asType(MethodType.methodType(int.class, Object.class)));
            } catch (ReflectiveOperationException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> "Kwik connections keep Kwik's datagram size: Kwik's"
                        + " packages are not open to quicpool for path-MTU probes (" + e + ")");
                return null;
            }
        }

        private static Object enumConstant(Class<?> type, String name) {
            for (Object constant : type.getEnumConstants()) {
                if (((Enum<?>) constant).name().equals(name)) {
                    return constant;
                }
            }
            throw new IllegalStateException(type + " has no " + name);
        }
    }
}
