// SPDX-License-Identifier: Apache-2.0
package quicpool.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import quicpool.api.ClientPool;
import quicpool.api.PoolStats;
import quicpool.api.ServerPool;
import quicpool.api.ServerPoolBuilder;
import quicpool.api.spi.QuicSettings;
import quicpool.api.spi.TransportConnection;
import quicpool.api.spi.TransportStream;

/**
 * Floods of datagrams at a server pool, written once for every transport that sees packets, on
 * loopback, bounded in count ({@value #FLOOD} datagrams at about {@value #PER_MILLISECOND} per
 * millisecond, or fewer) and time: the first packets of a handshake flood from a refused source,
 * garbage from an admitted one, streams of an admitted client that never send their handshake
 * byte, real first flights of clients that never continue their handshake ({@link
 * AbandonedHandshakes}), and real first flights from an address at its connection limit ({@link
 * AddressAtItsLimit}). Each test measures an admitted client's get-and-echo latency
 * (1 KiB, p50 and p99) without the flood and during it, the process's peak thread count, heap
 * and file descriptors; it asserts that the client is served all along, that threads, heap and
 * descriptors stay bounded and that nothing of the pools is left after {@code close()}. The
 * figures go to {@link Figures}.
 *
 * <pre>{@code
 * class KwikFloodTest extends TransportFloodKit {
 *     protected QuicTransport transport() { return new KwikTransport(); }
 * }
 * }</pre>
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
public abstract class TransportFloodKit extends TransportKit {
    /**
     * How long a source may still run once the good client's samples are taken: the longest,
     * {@link AbandonedHandshakes}, waits up to 6 s for its handshakes to end and 20 s for the
     * threads to come back.
     */
    private static final int SOURCE_TIMEOUT_SECONDS = 45;
    /** Datagrams per flood. */
    static final int FLOOD = 10_000;
    /** The flood's pace, which keeps it from taking both cores of a small machine for itself. */
    static final int PER_MILLISECOND = 10;
    private static final int DATAGRAM = 1200;
    private static final int SAMPLES = 40;
    /** Connections of the client that opens silent streams. */
    static final int SILENT_CONNECTIONS = 3;
    /** Silent streams on each: in all more than the server's 64 handshake workers. */
    static final int SILENT_PER_CONNECTION = 24;
    /** The server's {@code maxPendingStreamsPerConnection} in the silent-stream flood. */
    static final int PENDING_LIMIT = 4;
    /** Silent streams the server refuses at once. */
    static final int SILENT_REFUSED = SILENT_CONNECTIONS * (SILENT_PER_CONNECTION - PENDING_LIMIT);
    /** The server's handshake timeout in the silent-stream flood, for which a silent stream would hold a worker. */
    static final int SILENT_HANDSHAKE_SECONDS = 10;
    /** A get and echo of a good client during the silent-stream flood takes less, far below the handshake timeout. */
    private static final Duration GOOD_CLIENT_BOUND = Duration.ofSeconds(3);
    /** Idle streams of the good client in the silent-stream flood: few, so that its gets need the server's refills. */
    static final int SMALL_CAPACITY = 4;
    private static final Duration BOUND = Duration.ofSeconds(5);
    /** What the stream that announces the silent ones sends instead of the handshake byte. */
    private static final int NOT_A_HANDSHAKE = 0x7f;
    /**
     * Idle streams of the admitted client: more than the quiet phase takes, so that the server's 64
     * handshake workers have all started before the thread count is taken.
     */
    private static final int CAPACITY = 64;
    /** Heap the process may hold beyond its quiet amount after a flood. */
    private static final long HEAP_SLACK = 32L << 20;
    /** File descriptors the process may hold beyond its quiet count after a flood. */
    private static final int FD_SLACK = 4;
    /**
     * Threads the process may have at its peak during a flood beyond its peak in the quiet phase.
     * Both phases start transient threads (the kit's workers, a transport's thread per blocked
     * read, such as Kwik's), and more of them overlap while the server's receive loop is busy
     * with the flood: 18 more were seen on Kwik. A flood that reached the QUIC stack would cost
     * threads per datagram (Kwik started about 4 per connection attempt), thousands for a flood's
     * 10,000 datagrams; this bound catches that, not the overlap.
     */
    private static final int THREAD_SLACK = 64;
    /**
     * The measured pools' keep-alive, so idle timeout 9 s. A flood that outpaces the listener's
     * receive thread (a starved machine: at load 19, 1,830 of 10,000 datagrams reached it) overflows
     * the socket's buffer, and the good client's datagrams are lost with the flood's for as long as
     * it lasts; QUIC's doubling retransmission timer then leaves a gap of twice that, which the kit's
     * usual 3-s idle timeout did not outlive. The kit measures how the good client is served
     * during a flood, not that margin.
     */
    private static final Duration FLOOD_KEEP_ALIVE = Duration.ofSeconds(3);
    private static final Duration FILL = Duration.ofSeconds(20);
    private static final Duration GET = Duration.ofSeconds(10);
    private static final Duration CLEAN = Duration.ofSeconds(20);

    protected TransportFloodKit() {
        super("flood-kit-");
    }

    @Test
    public void handshakeFloodFromARefusedSourceIsDroppedAtAdmissionWhileClientsAreServed() throws Exception {
        OtherLoopback.assumeBindable();
        Random random = new Random(1);
        Flood f = flood(s -> s.allowClient("127.0.0.1"), CAPACITY, datagrams(OtherLoopback.ADDRESS, () -> fakeInitial(random)));
        f.record(name(), "refused source, " + DATAGRAM + "-byte client Initials");
        assertThat(f.stats.refusedAtAdmission()).as("flood datagrams dropped at admission").isPositive();
        assertThat(f.stats.failedConnections()).as("handshakes the server began with the flood").isZero();
        assertThat(f.stats.connections()).as("the admitted client's connection only").isEqualTo(1);
    }

    @Test
    public void garbageDatagramsFromAnAdmittedSourceOpenNoConnectionWhileClientsAreServed() throws Exception {
        Random random = new Random(2);
        int[] n = new int[1];
        Flood f = flood(s -> s, CAPACITY, datagrams(InetAddress.getByName("127.0.0.1"), () -> garbage(random, n[0]++)));
        f.record(name(), "garbage from an admitted source (Initial headers, short headers, random bytes)");
        assertThat(f.stats.connections()).as("the admitted client's connection only").isEqualTo(1);
    }

    /**
     * An admitted client opens {@value #SILENT_CONNECTIONS} connections and on each {@value
     * #SILENT_PER_CONNECTION} streams that never send their handshake byte, more than the server's
     * 64 handshake workers in all, while a client pool of {@value #SMALL_CAPACITY} streams, which
     * needs the server to handshake its refills, keeps getting and echoing. Where the transport
     * delivers such streams to the server ({@link #silentStreamsReachTheServer()}), all but {@value
     * #PENDING_LIMIT} of each connection ({@code maxPendingStreamsPerConnection}) are closed at once
     * and counted in {@code refused}; otherwise the server never learns of them. Either way each get
     * and echo of the good client takes far less than the server's handshake timeout ({@value
     * #SILENT_HANDSHAKE_SECONDS} s), which the silent streams would otherwise hold the workers for.
     */
    @Test
    public void silentStreamsPastTheLimitAreClosedAtOnceWhileClientsAreServed() throws Exception {
        SilentStreams silent = new SilentStreams();
        Flood f = flood(s -> s.maxPendingStreamsPerConnection(PENDING_LIMIT)
                .handshakeTimeout(Duration.ofSeconds(SILENT_HANDSHAKE_SECONDS)), SMALL_CAPACITY, silent);
        f.record(name(), "streams that never send 0x00 (" + SILENT_CONNECTIONS + " connections x " + SILENT_PER_CONNECTION
                + ", limit " + PENDING_LIMIT + " per connection)", "silent streams opened, refused by the server");
        assertThat(f.worstDuring()).as("slowest get + echo during the flood, against the server's handshake timeout of "
                + SILENT_HANDSHAKE_SECONDS + " s").isLessThan(GOOD_CLIENT_BOUND);
        if (silentStreamsReachTheServer()) {
            Figures.record(name(), "flood: streams that never send 0x00: last silent stream opened -> "
                    + SILENT_REFUSED + " past the limit and the " + SILENT_CONNECTIONS + " announcing refused (ms)",
                    silent.refusedAfterMillis);
            assertThat(f.stats.refused()).as("silent streams refused at once (all but " + PENDING_LIMIT
                    + " of each connection) and the announcing streams").isGreaterThanOrEqualTo(SILENT_REFUSED
                    + SILENT_CONNECTIONS);
        } else {
            assertThat(f.stats.refused()).as("streams refused by a server that never sees a silent stream:"
                    + " the announcing ones").isEqualTo(SILENT_CONNECTIONS);
        }
    }

    /**
     * {@value AbandonedHandshakes#FLIGHTS} clients of 127.0.0.2 (admitted), each on a port of its
     * own, send a real first flight and never another packet ({@link AbandonedHandshakes}), while
     * the good client of 127.0.0.1 gets and echoes: the server begins and answers at most {@value
     * AbandonedHandshakes#CAP} handshakes ({@code maxHandshakes}), refuses the other
     * flights at admission unanswered, ends every handshake it began at the bound ({@code
     * handshakeTimeout} 1 s, counted in {@code failedConnections}), after which the process's
     * threads are back within a few of their count at the flood's start while the server runs on.
     * The thread peak may exceed the quiet phase's by what the cap's handshakes cost ({@value
     * AbandonedHandshakes#THREADS_PER_HANDSHAKE} threads each) beyond the kit's usual slack.
     */
    @Test
    public void abandonedHandshakesStopAtTheCapAndEndAtTheBoundWhileClientsAreServed() throws Exception {
        OtherLoopback.assumeBindable();
        AbandonedHandshakes abandoned = new AbandonedHandshakes(transport(), OtherLoopback.ADDRESS);
        Flood f = flood(s -> s.handshakeTimeout(AbandonedHandshakes.BOUND).maxHandshakes(AbandonedHandshakes.CAP),
                CAPACITY, abandoned,
                THREAD_SLACK + AbandonedHandshakes.CAP * AbandonedHandshakes.THREADS_PER_HANDSHAKE);
        String what = "abandoned first flights (" + AbandonedHandshakes.FLIGHTS + " real ClientHellos from 127.0.0.2,"
                + " a port each; cap " + AbandonedHandshakes.CAP + ", bound " + AbandonedHandshakes.BOUND.toMillis() + " ms)";
        f.record(name(), what);
        Figures.record(name(), "flood: " + what + ": handshakes begun; ports answered; last flight -> all ended (ms);"
                + " -> threads back (ms)", abandoned.begun + "; " + abandoned.answered + "; " + abandoned.endedMillis + "; "
                + abandoned.threadsGoneMillis);
        assertThat(abandoned.begun).as("handshakes the server began with the flood, against its cap").isPositive()
                .isLessThanOrEqualTo(AbandonedHandshakes.CAP);
        assertThat(f.stats.refusedAtAdmission()).as("flights past the cap, refused at admission")
                .isEqualTo(f.sent - abandoned.begun);
        assertThat((long) abandoned.answered).as("flood ports the server answered: those whose handshake it began")
                .isEqualTo(abandoned.begun);
        assertThat(f.stats.connections()).as("the admitted client's connection only").isEqualTo(1);
    }

    /**
     * 127.0.0.2 holds its {@value AddressAtItsLimit#LIMIT} connections ({@code
     * maxConnectionsPerAddress}) and floods the server with real first flights from {@value
     * AddressAtItsLimit#PORTS} ports ({@link AddressAtItsLimit}), while the good client of
     * 127.0.0.1 gets and echoes: the flights are refused at admission, none answered, so no
     * handshake begun.
     */
    @Test
    public void firstFlightsFromAnAddressAtItsLimitAreRefusedAtAdmissionWhileOtherAddressesAreServed()
            throws Exception {
        OtherLoopback.assumeBindable();
        Flood f = flood(s -> s.maxConnectionsPerAddress(AddressAtItsLimit.LIMIT), CAPACITY,
                new AddressAtItsLimit(transport(), OtherLoopback.ADDRESS));
        f.record(name(), "first flights from 127.0.0.2 at its limit of " + AddressAtItsLimit.LIMIT + " connections ("
                + AddressAtItsLimit.FLIGHTS + " real ClientHellos in turn from " + AddressAtItsLimit.PORTS + " ports)");
        assertThat(f.stats.refusedAtAdmission()).as("flights dropped at admission").isPositive();
    }

    /**
     * Whether the server's transport delivers a stream on which the client has sent nothing: true
     * where a later stream's first frame opens the earlier ones implicitly (RFC 9000 3.2), as on Kwik;
     * a transport that announces a stream only with its first byte overrides it with false.
     */
    protected boolean silentStreamsReachTheServer() {
        return true;
    }

    /**
     * The client of silent streams: its {@value #SILENT_CONNECTIONS} connections are dialled before
     * the quiet phase (their threads, in this process, are no cost of the flood to the server); the
     * flood opens on each {@value #SILENT_PER_CONNECTION} streams never written, then one that sends
     * a byte other than {@code 0x00}, whose frame makes the silent ones known to a server that sees
     * implicitly opened streams, and which the server refuses (an idle stream of this client in the
     * server pool would be handed to the good client's gets).
     */
    private final class SilentStreams implements Source {
        private final List<TransportConnection> raws = new CopyOnWriteArrayList<>();
        /** Last silent stream opened -> the server's refusals counted, or -1. */
        volatile long refusedAfterMillis = -1;

        @Override
        public void prepare(ServerPool server) throws Exception {
            for (int c = 0; c < SILENT_CONNECTIONS; c++) {
                raws.add(RawPeers.dial(transport(), server.localAddress(), QuicSettings.ALPN));
            }
        }

        @Override
        public int run(ServerPool server, AtomicBoolean stop) throws Exception {
            int opened = 0;
            for (TransportConnection raw : raws) {
                for (int i = 0; i < SILENT_PER_CONNECTION; i++) {
                    raw.openStream(BOUND);
                    opened++;
                }
                TransportStream announcing = raw.openStream(BOUND);
                announcing.outputStream().write(NOT_A_HANDSHAKE);
                announcing.outputStream().flush();
            }
            long announced = System.nanoTime();
            if (silentStreamsReachTheServer()) {
                Conditions.await("silent streams past the limit refused", BOUND,
                        () -> server.stats().refused() >= SILENT_REFUSED + SILENT_CONNECTIONS, server::stats);
                refusedAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - announced);
            }
            return opened;
        }

        @Override
        public void close() {
            for (TransportConnection raw : raws) {
                raw.close(0, "done");
            }
        }
    }

    /**
     * What a flood does to the server: {@link #beforePools} before the test's pools exist (the
     * threads it started are waited for until they have ended), {@link #prepare} before the quiet
     * phase, {@link #run} during the flood, {@link #close} before the pools close.
     */
    @FunctionalInterface
    interface Source extends AutoCloseable {
        default void beforePools() throws Exception {
        }

        default void prepare(ServerPool server) throws Exception {
        }

        /** Floods {@code server} until done or {@code stop}; returns how much it sent. */
        int run(ServerPool server, AtomicBoolean stop) throws Exception;

        @Override
        default void close() throws Exception {
        }
    }

    /** A flood of datagrams from {@code from}. */
    private static Source datagrams(InetAddress from, Supplier<byte[]> datagrams) {
        return (server, stop) -> send(from, server.localAddress(), datagrams, stop);
    }

    /** What one flood did. */
    private record Flood(int sent, long[] quiet, long[] during, int threadsQuiet, int peakThreads, long heapQuiet,
                         long heapAfter, int fdsQuiet, int fdsAfter, PoolStats stats, long cleanMillis) {
        void record(String transport, String what) {
            record(transport, what, "datagrams sent, dropped at admission");
        }

        /** The slowest get and echo during the flood. */
        Duration worstDuring() {
            return Duration.ofNanos(during[during.length - 1]);
        }

        /** @param counts what {@code sent} and the server's refusals (per {@code counts}) mean */
        void record(String transport, String what, String counts) {
            boolean datagrams = counts.startsWith("datagrams");
            Figures.record(transport, "flood: " + what + ": " + counts, sent + ", "
                    + (datagrams ? stats.refusedAtAdmission() : stats.refused()));
            Figures.record(transport, "flood: " + what + ": get + 1 KiB echo p50 / p99 (ms), quiet -> during",
                    String.format("%.2f / %.2f -> %.2f / %.2f", ms(quiet, 50), ms(quiet, 99), ms(during, 50),
                            ms(during, 99)));
            Figures.record(transport, "flood: " + what + ": threads, peak quiet -> peak during; heap after GC quiet -> after (MiB);"
                    + " fds quiet -> after; close() -> nothing left (ms)", threadsQuiet + " -> " + peakThreads + "; "
                    + String.format("%.1f -> %.1f", heapQuiet / 1048576.0, heapAfter / 1048576.0) + "; " + fdsQuiet
                    + " -> " + fdsAfter + "; " + cleanMillis);
        }
    }

    /** Runs {@code source} against a server pool while a client pool of {@code clientCapacity} gets and echoes. */
    private Flood flood(UnaryOperator<ServerPoolBuilder> config, int clientCapacity, Source source) throws Exception {
        return flood(config, clientCapacity, source, THREAD_SLACK);
    }

    /**
     * As {@link #flood(UnaryOperator, int, Source)}, with {@code threadSlack} threads allowed at the
     * peak during the flood beyond the quiet phase's peak.
     */
    private Flood flood(UnaryOperator<ServerPoolBuilder> config, int clientCapacity, Source source, int threadSlack)
            throws Exception {
        keep(source); // closed after a failure too; closing is idempotent
        ProcessResources beforeSource = ProcessResources.snapshot();
        source.beforePools();
        beforeSource.awaitBackToThis(poolOrTransportThread(), CLEAN);
        warmUp();
        ProcessResources before = ProcessResources.snapshot();
        ServerPool server = keep(newServer(CAPACITY, s -> config.apply(s).keepAlive(FLOOD_KEEP_ALIVE)));
        ClientPool client = keep(newClient(server::localAddress, clientCapacity, c -> c.keepAlive(FLOOD_KEEP_ALIVE)));
        client.start();
        awaitFilled(client, server);
        source.prepare(server);
        // Threads are compared peak to peak: the echoes start and end transient threads of their own
        // in both phases, so a count read between the phases would be no baseline.
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        threads.resetPeakThreadCount();
        long[] quiet = latencies(client, server, SAMPLES, null);
        int threadsQuiet = threads.getPeakThreadCount();
        long heapQuiet = ProcessResources.heapAfterGc();
        int fdsQuiet = ProcessResources.openFds();
        threads.resetPeakThreadCount();

        AtomicBoolean stop = new AtomicBoolean();
        Future<Integer> sender = workers.submit(() -> source.run(server, stop));
        long[] during;
        int sent;
        try {
            try {
                during = latencies(client, server, SAMPLES, sender);
            } finally {
                stop.set(true);
            }
            sent = sender.get(SOURCE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } finally {
            source.close();
        }
        int peakThreads = threads.getPeakThreadCount();
        long heapAfter = ProcessResources.heapAfterGc();
        int fdsAfter = ProcessResources.openFds();
        PoolStats stats = server.stats();
        String census = ProcessResources.threadCensus();
        assertThat(peakThreads).as("peak threads during the flood, against " + threadsQuiet + " at the quiet phase's peak;"
                        + " threads by name after it: " + census)
                .isLessThanOrEqualTo(threadsQuiet + threadSlack);
        assertThat(heapAfter).as("heap after GC after the flood, against " + heapQuiet + " quiet")
                .isLessThanOrEqualTo(heapQuiet + HEAP_SLACK);
        if (fdsQuiet >= 0) {
            assertThat(fdsAfter).as("file descriptors after the flood, against " + fdsQuiet + " quiet")
                    .isLessThanOrEqualTo(fdsQuiet + FD_SLACK);
        }

        client.close();
        server.close();
        long closed = System.nanoTime();
        before.awaitBackToThis(poolOrTransportThread(), CLEAN);
        long clean = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closed);
        return new Flood(sent, quiet, during, threadsQuiet, peakThreads, heapQuiet, heapAfter, fdsQuiet, fdsAfter, stats,
                clean);
    }

    /** A first round loads classes, native libraries and the JVM's lazy threads, which outlive any pool. */
    private void warmUp() throws Exception {
        ProcessResources warm = ProcessResources.snapshot();
        long start = System.nanoTime();
        long closed;
        try (ServerPool server = newServer(8, s -> s); ClientPool client = newClient(server::localAddress, 2, c -> c)) {
            client.start();
            awaitFilled(client, server);
            latencies(client, server, 2, null);
            closed = System.nanoTime();
        }
        warm.awaitBackToThis(poolOrTransportThread(), CLEAN);
        Figures.record(name(), "flood: warm-up round: start -> closing (ms); closing -> nothing left (ms)",
                TimeUnit.NANOSECONDS.toMillis(closed - start) + "; "
                        + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closed));
    }

    /**
     * Get-and-echo times in nanoseconds, sorted: at least {@code samples}, and while {@code
     * flood} (if any) runs. Each must succeed.
     */
    private long[] latencies(ClientPool client, ServerPool server, int samples, Future<?> flood) throws Exception {
        List<Long> times = new ArrayList<>();
        while (times.size() < samples || flood != null && !flood.isDone()) {
            long start = System.nanoTime();
            try (TakenPair pair = TakenPair.take(client, server, true, GET)) {
                Echo.verify(pair.client(), pair.server(), 1024, times.size(), workers);
            }
            times.add(System.nanoTime() - start);
        }
        return times.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    private static int send(InetAddress from, InetSocketAddress to, Supplier<byte[]> datagrams,
                            AtomicBoolean stop) throws Exception {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(from, 0))) {
            int sent = 0;
            while (!stop.get() && sent < FLOOD) {
                byte[] d = datagrams.get();
                socket.send(new DatagramPacket(d, d.length, to));
                if (++sent % PER_MILLISECOND == 0) {
                    LockSupport.parkNanos(1_000_000); // pacing, not waiting for anything
                }
            }
            return sent;
        }
    }

    /**
     * A datagram a server takes for a client's first packet until it tries to decrypt it: an
     * Initial long header (QUIC version 1, random 8-byte connection IDs, no token) and a random
     * payload, {@value #DATAGRAM} bytes in all.
     */
    static byte[] fakeInitial(Random random) {
        byte[] d = new byte[DATAGRAM];
        random.nextBytes(d);
        int at = 0;
        d[at++] = (byte) 0xc3; // long header, fixed bit, Initial, 4-byte packet number
        d[at++] = 0;
        d[at++] = 0;
        d[at++] = 0;
        d[at++] = 1;
        d[at] = 8; // destination ID length; its 8 random bytes follow
        at += 9;
        d[at] = 8; // source ID length
        at += 9;
        d[at++] = 0; // token length
        int rest = DATAGRAM - at - 2;
        d[at++] = (byte) (0x40 | rest >> 8); // 2-byte varint length
        d[at] = (byte) rest;
        return d;
    }

    /** In turn: a fake Initial, a short-header packet, random bytes of random length. */
    static byte[] garbage(Random random, int n) {
        switch (n % 3) {
            case 0:
                return fakeInitial(random);
            case 1: {
                byte[] d = new byte[21 + random.nextInt(DATAGRAM - 21)];
                random.nextBytes(d);
                d[0] = (byte) (0x40 | d[0] & 0x3f);
                return d;
            }
            default: {
                byte[] d = new byte[1 + random.nextInt(DATAGRAM)];
                random.nextBytes(d);
                return d;
            }
        }
    }

    private static void awaitFilled(ClientPool client, ServerPool server) {
        Conditions.await("client and server hold idle streams", FILL,
                () -> client.active() >= 2 && server.active() >= 2, () -> client.stats() + " / " + server.stats());
    }

    /** The {@code p}th percentile of sorted nanoseconds, in milliseconds. */
    private static double ms(long[] sorted, int p) {
        int index = Math.max(0, (int) Math.ceil(sorted.length * p / 100.0) - 1);
        return sorted[Math.min(index, sorted.length - 1)] / 1e6;
    }
}
