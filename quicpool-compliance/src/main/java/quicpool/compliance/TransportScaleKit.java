// SPDX-License-Identifier: Apache-2.0
package quicpool.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import quicpool.api.ClientPool;
import quicpool.api.ClientPoolBuilder;
import quicpool.api.PoolStats;
import quicpool.api.QuicPools;
import quicpool.api.ServerPool;
import quicpool.api.spi.QuicSettings;
import quicpool.api.spi.QuicTransport;

/**
 * The largest pool there is, written once for every transport: one client pool and one server
 * pool, both at the maximum of 64 shards x 128 streams = 8192 ready streams, on loopback in one
 * JVM. The test fills both ends from empty, checks the counts are exact, echoes through 64 pairs
 * taken half at each end, waits for the refill, closes both pools, and checks that every thread
 * and file descriptor they started is gone. It logs its figures through {@link Figures} (fill
 * time, heap, threads, descriptors, close time); {@code RELIABILITY.md} collects them.
 *
 * <p>A run takes 5 to 30 s on a 2-core machine; the class timeout leaves room for a machine
 * shared with other builds. {@code -Dquicpool.scale.capacity=N} runs a smaller pool.
 *
 * <pre>{@code
 * class KwikScaleTest extends TransportScaleKit {
 *     protected QuicTransport transport() { return new KwikTransport(); }
 * }
 * }</pre>
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
public abstract class TransportScaleKit extends TransportKit {
    /** 64 shards x 128 streams, the most one pool holds. */
    public static final int FULL_SCALE = ClientPoolBuilder.MAX_CAPACITY;

    private static final Duration FILL = Duration.ofSeconds(90);
    private static final Duration GET = Duration.ofSeconds(20);
    private static final Duration CLEAN = Duration.ofSeconds(30);
    private static final int ECHO_BYTES = 16 << 10;
    private static final int SAMPLE_PAIRS = 64;
    private static final String THREAD_PREFIX = "scale-kit-";

    protected TransportScaleKit() {
        super(THREAD_PREFIX);
    }

    /**
     * Streams each pool holds when full: {@code -Dquicpool.scale.capacity}, default {@link
     * #FULL_SCALE} (64 shards x 128 streams).
     */
    protected int capacity() {
        return Integer.getInteger("quicpool.scale.capacity", FULL_SCALE);
    }

    @Test
    public void fillsEveryShardWithExactCountsEchoesAndClosesClean() throws Exception {
        int capacity = capacity();
        int shards = shards(capacity);
        String size = capacity + " streams (" + shards + " shards)";

        // A first, small round loads classes, native libraries and the JVM's lazy threads, so the
        // baseline below holds only what outlives any pool.
        ProcessResources warm = ProcessResources.snapshot();
        try (ServerPool server = server(8); ClientPool client = client(server, 8)) {
            client.start();
            awaitFull(client, server, 8, FILL);
            echoThroughPairs(client, server, 2);
        }
        warm.awaitBackToThis(poolOrTransportThread(), CLEAN);

        long heapBefore = ProcessResources.heapAfterGc();
        ProcessResources before = ProcessResources.snapshot();
        ServerPool server = keep(server(capacity));
        ClientPool client = keep(client(server, capacity));
        long start = System.nanoTime();
        client.start();
        awaitFull(client, server, capacity, FILL);
        long full = System.nanoTime();
        Figures.record(name(), "scale " + size + ": empty -> full on both ends (ms)", millis(full - start));
        int threadsFull = Thread.getAllStackTraces().size();
        int fdsFull = ProcessResources.openFds();
        long heapFull = ProcessResources.heapAfterGc();

        PoolStats c = client.stats();
        PoolStats s = server.stats();
        assertFullAndClean(c, capacity, shards);
        assertFullAndClean(s, capacity, shards);
        assertThat(s.failedConnections()).as("connections refused by the server in " + s).isZero();

        long echoStart = System.nanoTime();
        int connections = echoThroughPairs(client, server, SAMPLE_PAIRS);
        long echoed = System.nanoTime();
        awaitFull(client, server, capacity, FILL);
        long refilled = System.nanoTime();
        awaitCountsExact(client);
        awaitCountsExact(server);
        assertThat(client.stats().taken()).as("pairs taken at the client").isEqualTo(SAMPLE_PAIRS);
        assertThat(server.stats().taken()).as("pairs taken at the server").isEqualTo(SAMPLE_PAIRS);

        long closing = System.nanoTime();
        client.close();
        server.close();
        long closed = System.nanoTime();
        before.awaitBackToThis(poolOrTransportThread(), CLEAN);
        long clean = System.nanoTime();
        long heapAfter = ProcessResources.heapAfterGc();

        Figures.record(name(), "scale: heap after GC before fill / full / after close (MiB)",
                String.format("%.1f / %.1f / %.1f", mib(heapBefore), mib(heapFull), mib(heapAfter)));
        Figures.record(name(), "scale: heap per idle stream, client and server end together in one JVM,"
                        + " their " + 2 * shards + " connections included (KiB)",
                String.format("%.1f", (heapFull - heapBefore) / 1024.0 / capacity));
        Figures.record(name(), "scale: threads before / full / after close",
                before.threadCount() + " / " + threadsFull + " / " + Thread.getAllStackTraces().size());
        Figures.record(name(), "scale: fds before / full / after close", ProcessResources.fdsCountable()
                ? before.fds() + " / " + fdsFull + " / " + ProcessResources.openFds() : "not countable here");
        Figures.record(name(), "scale: " + SAMPLE_PAIRS + " pairs (from " + connections + " of the " + shards
                + " connections) echoed 16 KiB each, SHA-256 equal (ms) / refilled to full after (ms)",
                millis(echoed - echoStart) + " / " + millis(refilled - echoed));
        Figures.record(name(), "scale: close() of both pools (ms) / close -> every thread and fd gone (ms)",
                millis(closed - closing) + " / " + millis(clean - closing));
    }

    /**
     * Takes {@code pairs} pairs, alternately starting at the server ({@code incomingGet}, then the
     * client's {@code outgoingGet} of its ID) and at the client, and echoes 16 KiB through each.
     * Returns how many distinct client connections (told apart by their local address) the pairs
     * came from: gets hand out streams in arrival order, and a fill registers each connection's
     * streams in a run, so a handful of pairs rarely spans many connections.
     */
    private int echoThroughPairs(ClientPool client, ServerPool server, int pairs) throws Exception {
        Set<InetSocketAddress> connections = new HashSet<>();
        for (int i = 0; i < pairs; i++) {
            try (TakenPair pair = TakenPair.take(client, server, i % 2 == 0, GET)) {
                connections.add(pair.client().localAddress());
                Echo.verify(pair.client(), pair.server(), ECHO_BYTES, i, workers);
            }
        }
        return connections.size();
    }

    private static void assertFullAndClean(PoolStats stats, int capacity, int shards) {
        assertThat(stats.shards()).as("shards in " + stats).isEqualTo(shards);
        assertThat(stats.connections()).as("connections in " + stats).isEqualTo(shards);
        assertThat(stats.active()).as("idle streams in " + stats).isEqualTo(capacity);
        assertThat(stats.opened()).as("streams opened in " + stats).isEqualTo(capacity);
        assertThat(stats.taken()).as("streams taken in " + stats).isZero();
        assertThat(stats.evicted()).as("streams evicted in " + stats).isZero();
        assertThat(stats.refused()).as("streams refused or failed handshakes in " + stats).isZero();
        assertThat(stats.errors()).as("errors in " + stats).isZero();
    }


    private static int shards(int capacity) {
        int per = QuicSettings.STREAMS_PER_CONNECTION;
        return Math.min(64, Math.max(1, (capacity + per - 1) / per));
    }

    private ServerPool server(int capacity) {
        ServerPool s = QuicPools.server()
                .listen(new InetSocketAddress("127.0.0.1", 0))
                .keyStore(PoolFixture.CERT.keyStore(), PoolFixture.CERT.alias(), PoolFixture.CERT.password())
                .keepAlive(Duration.ofSeconds(10))
                .handshakeTimeout(Duration.ofSeconds(30))
                .maxCapacity(capacity)
                .transport(transport())
                .build();
        s.start();
        return s;
    }

    private ClientPool client(ServerPool server, int capacity) {
        InetSocketAddress address = server.localAddress();
        return QuicPools.client()
                .serverAddress(address)
                .hostname("localhost")
                .pinCertificate(PoolFixture.CERT.certificate())
                .keepAlive(Duration.ofSeconds(10))
                .connectTimeout(Duration.ofSeconds(20))
                .handshakeTimeout(Duration.ofSeconds(30))
                .refillInterval(Duration.ofMillis(20), Duration.ofMillis(100))
                .capacity(capacity, capacity)
                .transport(transport())
                .build();
    }

    private static void awaitFull(ClientPool client, ServerPool server, int n, Duration bound) {
        Conditions.await("client and server hold " + n + " idle streams", bound,
                () -> client.active() == n && server.active() == n,
                () -> client.stats() + " / " + server.stats() + " / last failure "
                        + client.lastConnectFailure().map(Exception::toString).orElse("none"));
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    private static double mib(long bytes) {
        return bytes / 1048576.0;
    }
}
