// SPDX-License-Identifier: Apache-2.0
package quicpool.bench.scale;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import quicpool.api.ClientPool;
import quicpool.api.PoolStats;
import quicpool.api.ServerPool;
import quicpool.testkit.TestCertificate;
import quicpool.testkit.TestCertificates;
import quicpool.bench.e2e.Transports;

/**
 * Fill time from empty to full, and heap per idle stream, for each transport: one client pool and
 * one server pool on loopback, the client's target fixed at its capacity.
 *
 * <p>Per transport and capacity, one warm-up round then {@code rounds} measured ones, each with
 * fresh pools in this JVM: the time from the client's {@code start()} until every shard is
 * connected, and until both ends hold {@code capacity} idle streams; then the time both
 * {@code close()} calls take. Between rounds the program waits for the threads of the closed
 * pools to end. Medians (min-max) are printed as a Markdown table.
 *
 * <p>Heap, at the {@code heap} capacity, measured first: used heap after GC before and after a
 * fill, both ends in this JVM; then the same with the server end in a JVM of its own ({@link
 * ServerEnd}), which gives each end's share. Give each transport a JVM of its own (one transport
 * per run): threads and heap that one transport's closed pools leave for a while would count
 * against the next.
 *
 * <pre>
 * java -Xmx2g -cp benchmarks.jar quicpool.bench.scale.FillTime \
 *      [transports=kwik,netty] [capacities=128,1024,8192] [rounds=5] [heap=8192]
 * </pre>
 * {@code heap=0} skips the heap measurement.
 */
public final class FillTime {
    private static final Duration FILL_BOUND = Duration.ofMinutes(3);
    private static final Duration QUIET_BOUND = Duration.ofSeconds(30);
    private static final PrintStream OUT = System.out;

    private final String transport;
    private final TestCertificate cert = TestCertificates.localhost();

    private FillTime(String transport) {
        this.transport = transport;
    }

    /** One measured round. */
    private record Round(double connectedMs, double fullMs, double closeMs, int threadsFull) {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = options(args);
        List<String> transports = Transports.runnableHere(List.of(opts.get("transports").split(",")));
        List<Integer> capacities = new ArrayList<>();
        for (String c : opts.get("capacities").split(",")) {
            capacities.add(positive("capacities", c));
        }
        int rounds = positive("rounds", opts.get("rounds"));
        int heapAt = opts.get("heap").trim().equals("0") ? 0 : positive("heap (0 skips the heap measurement)",
                opts.get("heap"));

        OUT.printf(Locale.ROOT, "# fill time, %s %s, %d cores, rounds=%d (+1 warm-up), args %s, load average %.1f%n",
                System.getProperty("java.vm.name"), System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), rounds, opts, loadAverage());
        List<String> table = new ArrayList<>();
        table.add("| transport | capacity | shards | connected (ms) | full (ms) | streams/s | close (ms) | threads at full |");
        table.add("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        List<String> heapTable = new ArrayList<>();
        for (String t : transports) {
            FillTime bench = new FillTime(t);
            if (heapAt > 0) {
                // first, so that no straggler of the fill rounds is counted; after a small warm-up
                // round, so that the transport's lazily made statics are in the baseline
                bench.round(128);
                heapTable.add(bench.heapRow(heapAt));
            }
            for (int capacity : capacities) {
                table.add(bench.fillRow(capacity, rounds));
            }
        }
        OUT.printf(Locale.ROOT, "%n# load average at the end %.1f%n%n", loadAverage());
        table.forEach(OUT::println);
        if (!heapTable.isEmpty()) {
            OUT.println();
            OUT.println("| transport | idle streams | both ends in one JVM: heap before / full (MiB) | per idle stream,"
                    + " both ends (KiB) | client end alone: per idle stream (KiB) | server end alone (own JVM):"
                    + " per idle stream (KiB) | threads at full, client JVM / server JVM |");
            OUT.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
            heapTable.forEach(OUT::println);
        }
    }

    private String fillRow(int capacity, int rounds) {
        round(capacity); // warm-up
        List<Round> measured = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            Round r = round(capacity);
            measured.add(r);
            OUT.printf(Locale.ROOT, "%s %d round %d: connected %.0f ms, full %.0f ms, close %.0f ms, threads %d%n",
                    transport, capacity, i + 1, r.connectedMs, r.fullMs, r.closeMs, r.threadsFull);
        }
        double full = Resources.median(measured.stream().mapToDouble(Round::fullMs).toArray());
        return String.format(Locale.ROOT, "| %s | %d | %d | %s | %s | %,.0f | %s | %s |", transport, capacity,
                shards(capacity), spread(measured.stream().mapToDouble(Round::connectedMs).toArray()),
                spread(measured.stream().mapToDouble(Round::fullMs).toArray()), capacity / (full / 1000),
                spread(measured.stream().mapToDouble(Round::closeMs).toArray()),
                spread(measured.stream().mapToDouble(Round::threadsFull).toArray()));
    }

    /** Fresh pools, filled from empty and closed; waits for their threads to end. */
    private Round round(int capacity) {
        int threadsBefore = Resources.threads();
        ServerPool server = ScalePools.server(transport, capacity, cert);
        ClientPool client = ScalePools.client(transport, capacity, server.localAddress(), cert.sha256Fingerprint());
        Round r;
        try {
            long start = System.nanoTime();
            client.start();
            int shards = shards(capacity);
            Resources.await("client connected every shard", FILL_BOUND,
                    () -> client.stats().connections() == shards, () -> state(client, server));
            long connected = System.nanoTime();
            Resources.await("both ends full", FILL_BOUND,
                    () -> client.active() == capacity && server.active() == capacity, () -> state(client, server));
            long full = System.nanoTime();
            int threadsFull = Resources.threads();
            check(client.stats(), server.stats(), capacity);
            long closing = System.nanoTime();
            client.close();
            server.close();
            r = new Round(ms(connected - start), ms(full - start), ms(System.nanoTime() - closing), threadsFull);
        } finally {
            client.close();
            server.close();
        }
        settle(threadsBefore);
        return r;
    }

    /**
     * Waits for the threads of the closed pools to end, so that one round's stragglers do not
     * slow the next; goes on with a note when some outlive the bound (a thread the JVM started
     * meanwhile counts too).
     */
    private static void settle(int threadsBefore) {
        try {
            Resources.await("threads of the closed pools ended", QUIET_BOUND,
                    () -> Resources.threads() <= threadsBefore, () -> Resources.threads() + " threads");
        } catch (IllegalStateException e) {
            OUT.println("note: " + e.getMessage() + ", " + threadsBefore + " before the round");
        }
    }

    /** Heap per idle stream at {@code capacity}: both ends here, then the server end in its own JVM. */
    private String heapRow(int capacity) throws Exception {
        int threadsBefore = Resources.threads();
        long before = Resources.heapAfterGc();
        long fullBoth;
        try (ServerPool server = ScalePools.server(transport, capacity, cert);
             ClientPool client = ScalePools.client(transport, capacity, server.localAddress(), cert.sha256Fingerprint())) {
            client.start();
            Resources.await("both ends full", FILL_BOUND,
                    () -> client.active() == capacity && server.active() == capacity, () -> state(client, server));
            fullBoth = Resources.heapAfterGc();
        }
        settle(threadsBefore);

        Process child = serverEnd(capacity);
        int threadsWithChild = Resources.threads(); // the JDK's process reaper thread, now and for a while
        try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
             Writer cmd = new OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8)) {
            String[] ready = expect(in, "READY");
            long serverBefore = Long.parseLong(ready[3]);
            long clientBefore = Resources.heapAfterGc();
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", Integer.parseInt(ready[1]));
            String row;
            try (ClientPool client = ScalePools.client(transport, capacity, address, ready[2])) {
                client.start();
                Resources.await("client end full", FILL_BOUND, () -> client.active() == capacity, client::stats);
                String[] stats;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                do {
                    cmd.write("STATS\n");
                    cmd.flush();
                    stats = expect(in, "STATS");
                } while (Integer.parseInt(stats[1]) != capacity && System.nanoTime() - deadline < 0);
                if (Integer.parseInt(stats[1]) != capacity) {
                    throw new IllegalStateException("server end holds " + stats[1] + " idle streams, not " + capacity);
                }
                long clientFull = Resources.heapAfterGc();
                int clientThreads = Resources.threads();
                long serverFull = Long.parseLong(stats[3]);
                row = String.format(Locale.ROOT, "| %s | %d | %.1f / %.1f | %.2f | %.2f | %.2f | %d / %s |", transport,
                        capacity, mib(before), mib(fullBoth), kib(fullBoth - before, capacity),
                        kib(clientFull - clientBefore, capacity), kib(serverFull - serverBefore, capacity),
                        clientThreads, stats[4]);
            } // the client closes while its server still runs, as in a normal shutdown
            cmd.write("QUIT\n");
            cmd.flush();
            settle(threadsWithChild);
            return row;
        } finally {
            if (!child.waitFor(30, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        }
    }

    /** A JVM like this one (same class path and JVM options) running {@link ServerEnd}. */
    private Process serverEnd(int capacity) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ServerEnd.class.getName());
        command.add(transport);
        command.add(Integer.toString(capacity));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** The next line that starts with {@code word}, split on spaces; other lines (logging) are echoed. */
    private static String[] expect(BufferedReader in, String word) throws IOException {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.startsWith(word + " ")) {
                return line.split(" ");
            }
            OUT.println("server end: " + line);
        }
        throw new IOException("the server end exited before it printed " + word);
    }

    /** The system load average of the last minute, or -1 where the platform has none. */
    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static void check(PoolStats client, PoolStats server, int capacity) {
        for (PoolStats s : List.of(client, server)) {
            if (s.active() != capacity || s.connections() != shards(capacity) || s.refused() != 0 || s.evicted() != 0) {
                throw new IllegalStateException("not full and clean: " + client + " / " + server);
            }
        }
    }

    private static String state(ClientPool client, ServerPool server) {
        return client.stats() + " / " + server.stats() + " / last failure "
                + client.lastConnectFailure().map(Exception::toString).orElse("none");
    }

    private static int shards(int capacity) {
        return Math.min(64, Math.max(1, (capacity + 127) / 128));
    }

    /** Median (min-max). */
    private static String spread(double[] v) {
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (double x : v) {
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        return String.format(Locale.ROOT, "%,.0f (%,.0f-%,.0f)", Resources.median(v), min, max);
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static double mib(long bytes) {
        return bytes / 1048576.0;
    }

    private static double kib(long bytes, int streams) {
        return bytes / 1024.0 / streams;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> opts = new LinkedHashMap<>();
        opts.put("transports", "kwik,netty");
        opts.put("capacities", "128,1024,8192");
        opts.put("rounds", "5");
        opts.put("heap", "8192");
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq < 0 || !opts.containsKey(a.substring(0, eq))) {
                throw new IllegalArgumentException("unknown argument \"" + a + "\"; expected key=value with key one of "
                        + opts.keySet());
            }
            opts.put(a.substring(0, eq), a.substring(eq + 1));
        }
        return opts;
    }

    private static int positive(String name, String value) {
        int v;
        try {
            v = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be whole numbers, was \"" + value + "\"");
        }
        if (v < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, was " + v);
        }
        return v;
    }
}
