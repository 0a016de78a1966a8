// SPDX-License-Identifier: Apache-2.0
package quicpool.compliance;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
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
     * it began has ended, the pools' workers left out: transient ones (the good client's echoes
     * and connections), far fewer than the cap's handshakes would leave with a thread each.
     */
    private static final int LINGERING_THREADS = 16;
    private static final Duration THREADS_GONE = Duration.ofSeconds(10);
    /**
     * The pools' own elastic workers (a server's stream handshakes, a client's hand-offs), as
     * quicpool-core names them in pools of default names ({@code quicpool-server-7-handshake-3}).
     * They serve the good client, which goes on taking streams until the flood's run ends, and
     * each ends only 10 s after its last task: a refill's burst of streams starts as many workers
     * at once (22 were still idle 10 s after the handshakes ended, in one full run of the suite
     * out of several). Bounded by the pools, they are not the flood's, so the count of threads
     * after the flood leaves them out.
     */
    private static final Pattern POOL_WORKER =
            Pattern.compile("quicpool-(server|client)-[0-9]+-(handshake|worker)-[0-9]+");

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
        int threadsAtStart = threadsBesidePoolWorkers();
        PoolStats before = server.stats();
        int sent = flood.send(flights, FLIGHTS, 1, server.localAddress(), stop);
        long last = System.nanoTime();
        Conditions.await("each of the " + sent + " flights refused at admission or its handshake ended at the bound",
                BOUND.plus(BOUND_SLACK), () -> settled(server.stats(), before) >= sent, server::stats);
        endedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - last);
        begun = server.stats().failedConnections() - before.failedConnections();
        Conditions.await("threads besides the pools' workers back within " + LINGERING_THREADS + " of the "
                        + threadsAtStart + " at the flood's start", THREADS_GONE,
                () -> threadsBesidePoolWorkers() <= threadsAtStart + LINGERING_THREADS, ProcessResources::threadCensus);
        threadsGoneMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - last);
        answered = flood.answered();
        return sent;
    }

    /** Live threads of this process less the pools' own workers ({@link #POOL_WORKER}). */
    private static int threadsBesidePoolWorkers() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !POOL_WORKER.matcher(t.getName()).matches())
                .count();
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
