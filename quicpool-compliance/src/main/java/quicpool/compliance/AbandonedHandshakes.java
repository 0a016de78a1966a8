// SPDX-License-Identifier: Apache-2.0
package quicpool.compliance;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import quicpool.api.PoolStats;
import quicpool.api.ServerPool;
import quicpool.api.ServerPoolBuilder;
import quicpool.api.spi.QuicTransport;

/**
 * A flood of abandoned handshakes for {@link TransportFloodKit}: {@value #FLIGHTS} clients of one
 * admitted address, each on a port of its own, send a real first flight (a ClientHello the server
 * can decrypt, captured from {@code transport}'s client before the pools start, once per JVM) and
 * never another packet. The server begins a handshake, and answers, for each until {@value #CAP}
 * are in progress ({@code maxHandshakes}) and refuses the rest at admission; each
 * begun handshake then holds its slot until the handshake bound ({@link #BOUND}) ends it. The
 * flood waits, while the good client goes on, until every flight was refused or its handshake
 * ended, then until the threads the handshakes cost have ended; then it counts the ports the
 * server answered.
 */
final class AbandonedHandshakes implements TransportFloodKit.Source {
    /**
     * The server's cap on handshakes in progress ({@code maxHandshakes}): half the default, so that
     * the flights to capture are few enough for a loaded 2-core machine.
     */
    static final int CAP = ServerPoolBuilder.DEFAULT_MAX_HANDSHAKES / 2;
    /** First flights, each a client of its own: half as many again as the cap. */
    static final int FLIGHTS = CAP + CAP / 2;
    /** The server's handshake bound in this flood. */
    static final Duration BOUND = Duration.ofSeconds(1);
    /**
     * Threads one server handshake may cost a transport while it is in progress: Kwik's server
     * starts about 4 per connection (129-142 more at the peak for 32 handshakes, the rest within
     * the kit's slack); Netty's none.
     */
    static final int THREADS_PER_HANDSHAKE = 4;
    /** Beyond the bound: the server's timers and sweeps on a loaded machine. */
    private static final Duration BOUND_SLACK = Duration.ofSeconds(5);
    /**
     * Threads the process may have beyond its count when the flood started, once every handshake
     * it began has ended: transient ones (the good client's echoes, idle workers within their
     * keep-alive), far fewer than the cap's handshakes would leave with a thread each.
     */
    private static final int LINGERING_THREADS = 16;
    /**
     * How long the threads may take to come back, from the end of the last handshake: longer than
     * a pool worker's keep-alive (10 s in quicpool-core's {@code PoolThreads}). The server pool's
     * stream-handshake workers that served the good client are not the flood's, but a burst of
     * them started just after the flood's start (its refill, with the flood slowing every
     * handshake byte) ends only at that keep-alive after its last task: 22 such workers were
     * still idle 10 s after the handshakes ended in one full run of the suite out of several.
     */
    private static final Duration THREADS_GONE = Duration.ofSeconds(20);

    /** The connect timeout of the dials whose first flights are captured: a first flight goes out at once. */
    private static final Duration CAPTURE_TIMEOUT = Duration.ofSeconds(2);

    private final QuicTransport transport;
    private final InetAddress from;
    private List<byte[]> flights;
    private volatile FirstFlightFlood flood;
    /** Handshakes the server began with the flood (ended at the bound, counted failed), or -1. */
    volatile long begun = -1;
    /** The flood's ports the server answered, or -1. */
    volatile int answered = -1;
    /** Last flight sent -> every flight refused or its handshake ended, in ms, or -1. */
    volatile long endedMillis = -1;
    /** Last flight sent -> the threads back within {@value #LINGERING_THREADS} of the flood's start, in ms, or -1. */
    volatile long threadsGoneMillis = -1;

    /**
     * @param transport a transport whose client's first flights are replayed
     * @param from      the flood's address
     */
    AbandonedHandshakes(QuicTransport transport, InetAddress from) {
        this.transport = transport;
        this.from = from;
    }

    @Override
    public void beforePools() throws Exception {
        flights = flights(transport);
    }

    /**
     * {@value #FLIGHTS} first flights of {@code transport}'s client, captured once per JVM and
     * shared; the capturing dials run on threads of their own, which end with the capture.
     */
    static List<byte[]> flights(QuicTransport transport) throws IOException {
        ExecutorService dials = Executors.newCachedThreadPool();
        try {
            return CapturedInitial.captureManyShared(transport, dials, FLIGHTS, CAPTURE_TIMEOUT);
        } finally {
            dials.shutdown();
        }
    }

    @Override
    public int run(ServerPool server, AtomicBoolean stop) throws Exception {
        flood = new FirstFlightFlood(from, FLIGHTS);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int threadsAtStart = threads.getThreadCount();
        PoolStats before = server.stats();
        int sent = flood.send(flights, FLIGHTS, 1, server.localAddress(), stop);
        long last = System.nanoTime();
        Conditions.await("each of the " + sent + " flights refused at admission or its handshake ended at the bound",
                BOUND.plus(BOUND_SLACK), () -> settled(server.stats(), before) >= sent, server::stats);
        endedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - last);
        begun = server.stats().failedConnections() - before.failedConnections();
        Conditions.await("threads back within " + LINGERING_THREADS + " of the " + threadsAtStart
                        + " at the flood's start", THREADS_GONE,
                () -> threads.getThreadCount() <= threadsAtStart + LINGERING_THREADS, ProcessResources::threadCensus);
        threadsGoneMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - last);
        answered = flood.answered();
        return sent;
    }

    /** Flights refused at admission and handshakes ended since {@code before}. */
    private static long settled(PoolStats now, PoolStats before) {
        return now.refusedAtAdmission() - before.refusedAtAdmission() + now.failedConnections()
                - before.failedConnections();
    }

    @Override
    public void close() {
        if (flood != null) {
            flood.close();
        }
    }
}
