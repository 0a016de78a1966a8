// SPDX-License-Identifier: Apache-2.0
package quicpool.bench.e2e;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import quicpool.api.ClientPool;
import quicpool.api.ServerPool;
import quicpool.api.StreamConn;
import quicpool.api.spi.QuicTransport;
import quicpool.api.spi.TransportConnection;
import quicpool.api.spi.TransportStream;

/**
 * Bulk throughput on loopback, per transport: the {@link Sink} workload (one way, client to
 * server, then an 8-byte count back) through pooled {@link StreamConn}s on both ends (a client
 * pool and a server pool, one QUIC connection) against the same transport's raw {@link
 * TransportStream}s on a connection dialed through the SPI to a {@link RawListener}. Once with one
 * stream, once with 16 streams at once on the same connection, the bytes of a run split evenly
 * among them.
 *
 * <p>A run's clock starts when every stream is in hand (taken from the pools, which have refilled
 * what was taken, or opened and handshaken) and stops when the last count arrives. Rounds alternate which side goes first;
 * warm-up rounds are not recorded. Reports the median, lowest and highest MB/s (10^6 bytes per
 * second of wall time) and the ratio of the medians, pooled / raw; then the same per second of
 * the process's CPU time (both ends and every thread of the JVM), which on a shared machine says
 * what the work cost rather than how often it was switched out. Before the transports it measures
 * the machine's own limits ({@link MachineLimits}), and gives each median as a fraction of the
 * sealed UDP blast: the rate at which two threads can merely seal, send, receive and open
 * datagrams on loopback.
 *
 * <pre>java -cp benchmarks.jar quicpool.bench.e2e.BulkThroughput kwik,netty [MiB per run] [rounds] [warm-up rounds]</pre>
 */
public final class BulkThroughput {
    private static final String USAGE = "BulkThroughput <kwik|netty|kwik,netty> [MiB per run >= 1, default 64]"
            + " [rounds >= 1, default 9] [warm-up rounds >= 0, default 2]";
    private static final int[] STREAMS = {1, 16};
    private static final OperatingSystemMXBean CPU =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    /** The client pool's least target of idle streams. */
    private static final int MIN_IDLE = 32;
    private static final Duration LIMITS_WARMUP = Duration.ofSeconds(1);
    private static final Duration LIMITS_MEASURED = Duration.ofSeconds(2);

    private BulkThroughput() {
    }

    public static void main(String[] args) {
        Report.run("BulkThroughput", () -> {
            Args a = new Args(args, USAGE);
            var transports = a.transports();
            long bytes = (long) a.integer(1, "MiB per run", 64, 1) << 20;
            int rounds = a.integer(2, "rounds", 9, 1);
            int warmup = a.integer(3, "warm-up rounds", 2, 0);
            Report.line("Bulk throughput, one way (client writes, server reads to the end and answers the count); "
                    + "%d MiB per run, %d rounds after %d warm-up; %s", bytes >> 20, rounds, warmup, Report.machine());
            MachineLimits.Limits limits = MachineLimits.measure(LIMITS_WARMUP, LIMITS_MEASURED);
            Report.line("");
            Report.line("Machine limits, measured first in this run (MachineLimits): AES-128-GCM on one core %.1f MB/s, "
                    + "UDP blast %.1f MB/s, sealed UDP blast %.1f MB/s", limits.aesGcmMBps(), limits.udpMBps(),
                    limits.sealedUdpMBps());
            Report.line("");
            Report.line("| transport | streams | pooled MB/s median (min..max) | raw MB/s median (min..max) "
                    + "| pooled / raw (target >= 0.9) | pooled MB per CPU-s | raw MB per CPU-s | pooled / raw per CPU-s "
                    + "| pooled / sealed UDP blast | raw / sealed UDP blast |");
            Report.line("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            for (String t : transports) {
                measure(t, bytes, rounds, warmup, limits.sealedUdpMBps());
            }
            Report.line("");
            Report.line("After: %s", Report.machine());
        });
    }

    private static void measure(String transport, long bytes, int rounds, int warmup, double sealedBlast)
            throws Exception {
        byte[] payload = new byte[Sink.CHUNK];
        new SplittableRandom(1).nextBytes(payload);
        List<List<Run>> pooled = new ArrayList<>();
        List<List<Run>> raw = new ArrayList<>();
        for (int k = 0; k < STREAMS.length; k++) {
            pooled.add(new ArrayList<>());
            raw.add(new ArrayList<>());
        }
        ExecutorService threads = Loopback.threads("bulk");
        try (ServerPool server = Loopback.server(transport, 256);
             ClientPool client = Loopback.client(transport, server, MIN_IDLE, 128).build();
             RawListener listener = RawListener.start(transport)) {
            client.start();
            QuicTransport rawTransport = Transports.fresh(transport);
            TransportConnection conn = rawTransport.connect(Loopback.dialSpec(listener.address()));
            try {
                for (int round = -warmup; round < rounds; round++) {
                    for (int k = 0; k < STREAMS.length; k++) {
                        int n = STREAMS[k];
                        Run p;
                        Run r;
                        if ((round & 1) == 0) {
                            p = pooledRun(client, server, n, bytes, payload, threads);
                            r = rawRun(conn, n, bytes, payload, threads);
                        } else {
                            r = rawRun(conn, n, bytes, payload, threads);
                            p = pooledRun(client, server, n, bytes, payload, threads);
                        }
                        if (round >= 0) {
                            pooled.get(k).add(p);
                            raw.get(k).add(r);
                        }
                    }
                }
            } finally {
                conn.close(0, "benchmark over");
            }
        } finally {
            Loopback.shutdown(threads);
        }
        for (int k = 0; k < STREAMS.length; k++) {
            List<Double> p = Run.wall(pooled.get(k));
            List<Double> r = Run.wall(raw.get(k));
            List<Double> pc = Run.cpu(pooled.get(k));
            List<Double> rc = Run.cpu(raw.get(k));
            Report.line("| %s | %d | %s | %s | %s | %.1f | %.1f | %s | %s | %s |", transport, STREAMS[k], range(p),
                    range(r), Report.ratio(Report.median(p), Report.median(r)), Report.median(pc), Report.median(rc),
                    Report.ratio(Report.median(pc), Report.median(rc)), Report.ratio(Report.median(p), sealedBlast),
                    Report.ratio(Report.median(r), sealedBlast));
        }
    }

    /** One run: MB per second of wall time, and MB per second of the process's CPU time. */
    private record Run(double mbPerSecond, double mbPerCpuSecond) {
        static List<Double> wall(List<Run> runs) {
            return runs.stream().map(Run::mbPerSecond).toList();
        }

        static List<Double> cpu(List<Run> runs) {
            return runs.stream().map(Run::mbPerCpuSecond).toList();
        }
    }

    private static String range(List<Double> mbps) {
        return String.format(Locale.ROOT, "%.1f (%.1f..%.1f)", Report.median(mbps), Report.min(mbps), Report.max(mbps));
    }

    /** One run through pooled streams. */
    private static Run pooledRun(ClientPool client, ServerPool server, int n, long bytes, byte[] payload,
                                    ExecutorService threads) throws Exception {
        Loopback.awaitActive(client, n);
        List<Duplex> ends = new ArrayList<>();
        List<Future<Long>> served = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StreamConn c = client.incomingGet(Loopback.TIMEOUT);
            c.setReadTimeout(Loopback.TIMEOUT);
            ends.add(Duplex.of(c));
            String id = c.id();
            served.add(threads.submit(() -> {
                try (StreamConn s = server.outgoingGet(id, Loopback.TIMEOUT)) {
                    s.setReadTimeout(Loopback.TIMEOUT);
                    return Sink.serve(Duplex.of(s));
                }
            }));
        }
        // the refill of what was just taken runs before the clock starts: the run times the streams alone
        Loopback.awaitActive(client, MIN_IDLE);
        Run run = timed(ends, bytes, payload, threads);
        for (Future<Long> f : served) {
            f.get(Loopback.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
        return run;
    }

    /** One run through raw streams on the warm connection. */
    private static Run rawRun(TransportConnection conn, int n, long bytes, byte[] payload, ExecutorService threads)
            throws Exception {
        List<Duplex> ends = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            TransportStream st = conn.openStream(Loopback.TIMEOUT);
            RawListener.handshake(st, Loopback.TIMEOUT);
            ends.add(Duplex.of(st));
        }
        return timed(ends, bytes, payload, threads);
    }

    /** Sends {@code bytes} split over the streams, all at once, and closes them. */
    private static Run timed(List<Duplex> ends, long bytes, byte[] payload, ExecutorService threads)
            throws Exception {
        int n = ends.size();
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> sent = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Duplex d = ends.get(i);
            long share = bytes / n + (i < bytes % n ? 1 : 0);
            sent.add(threads.submit(() -> {
                go.await();
                try (d) {
                    Sink.send(d, payload, share);
                }
                return null;
            }));
        }
        long cpu0 = CPU.getProcessCpuTime();
        long t0 = System.nanoTime();
        go.countDown();
        for (Future<?> f : sent) {
            f.get(Loopback.TIMEOUT.toSeconds() * 4, TimeUnit.SECONDS);
        }
        long elapsed = System.nanoTime() - t0;
        long cpu = CPU.getProcessCpuTime() - cpu0;
        return new Run(bytes / (elapsed / 1e9) / 1e6, bytes / (cpu / 1e9) / 1e6);
    }
}
