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

/**
 * Floods of datagrams at a server pool, written once for every transport that sees packets, on
 * loopback, bounded in count ({@value #FLOOD} datagrams at about {@value #PER_MILLISECOND} per
 * millisecond) and time: the first packets of a handshake flood from a refused source, and
 * garbage from an admitted one. Each test measures an admitted client's get-and-echo latency
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
    /** Datagrams per flood. */
    static final int FLOOD = 10_000;
    /** The flood's pace, which keeps it from taking both cores of a small machine for itself. */
    static final int PER_MILLISECOND = 10;
    private static final int DATAGRAM = 1200;
    private static final int SAMPLES = 40;
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
        Flood f = flood(s -> s.allowClient("127.0.0.1"), OtherLoopback.ADDRESS, () -> fakeInitial(random));
        f.record(name(), "refused source, " + DATAGRAM + "-byte client Initials");
        assertThat(f.stats.refusedAtAdmission()).as("flood datagrams dropped at admission").isPositive();
        assertThat(f.stats.failedConnections()).as("handshakes the server began with the flood").isZero();
        assertThat(f.stats.connections()).as("the admitted client's connection only").isEqualTo(1);
    }

    @Test
    public void garbageDatagramsFromAnAdmittedSourceOpenNoConnectionWhileClientsAreServed() throws Exception {
        Random random = new Random(2);
        int[] n = new int[1];
        Flood f = flood(s -> s, InetAddress.getByName("127.0.0.1"), () -> garbage(random, n[0]++));
        f.record(name(), "garbage from an admitted source (Initial headers, short headers, random bytes)");
        assertThat(f.stats.connections()).as("the admitted client's connection only").isEqualTo(1);
    }

    /** What one flood did. */
    private record Flood(int sent, long[] quiet, long[] during, int threadsQuiet, int peakThreads, long heapQuiet,
                         long heapAfter, int fdsQuiet, int fdsAfter, PoolStats stats, long cleanMillis) {
        void record(String transport, String what) {
            Figures.record(transport, "flood: " + what + ": datagrams sent, dropped at admission", sent + ", "
                    + stats.refusedAtAdmission());
            Figures.record(transport, "flood: " + what + ": get + 1 KiB echo p50 / p99 (ms), quiet -> during",
                    String.format("%.2f / %.2f -> %.2f / %.2f", ms(quiet, 50), ms(quiet, 99), ms(during, 50),
                            ms(during, 99)));
            Figures.record(transport, "flood: " + what + ": threads, peak quiet -> peak during; heap after GC quiet -> after (MiB);"
                    + " fds quiet -> after; close() -> nothing left (ms)", threadsQuiet + " -> " + peakThreads + "; "
                    + String.format("%.1f -> %.1f", heapQuiet / 1048576.0, heapAfter / 1048576.0) + "; " + fdsQuiet
                    + " -> " + fdsAfter + "; " + cleanMillis);
        }
    }

    private Flood flood(UnaryOperator<ServerPoolBuilder> config, InetAddress from,
                        Supplier<byte[]> datagrams) throws Exception {
        warmUp();
        ProcessResources before = ProcessResources.snapshot();
        ServerPool server = keep(newServer(CAPACITY, config));
        ClientPool client = keep(newClient(server::localAddress, CAPACITY, c -> c));
        client.start();
        awaitFilled(client, server);
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
        InetSocketAddress target = server.localAddress();
        Future<Integer> sender = workers.submit(() -> send(from, target, datagrams, stop));
        long[] during;
        try {
            during = latencies(client, server, SAMPLES, sender);
        } finally {
            stop.set(true);
        }
        int sent = sender.get(30, TimeUnit.SECONDS);
        int peakThreads = threads.getPeakThreadCount();
        long heapAfter = ProcessResources.heapAfterGc();
        int fdsAfter = ProcessResources.openFds();
        PoolStats stats = server.stats();
        String census = ProcessResources.threadCensus();
        assertThat(peakThreads).as("peak threads during the flood, against " + threadsQuiet + " at the quiet phase's peak;"
                        + " threads by name after it: " + census)
                .isLessThanOrEqualTo(threadsQuiet + THREAD_SLACK);
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
