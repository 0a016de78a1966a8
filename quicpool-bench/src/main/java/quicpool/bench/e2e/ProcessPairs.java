// SPDX-License-Identifier: Apache-2.0
package quicpool.bench.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.function.ToDoubleFunction;

/**
 * Both ends in separate processes, as a tunnel runs them: for every pairing of quic-go (the
 * original's stack, {@code quicpool-bench/quic-go}) and quicpool per transport, a server process
 * ({@link PeerServer} or {@code quic-go-peer server}) on an ephemeral port it prints, and a client
 * process ({@link PeerClient} or {@code quic-go-peer client}) that reads the port, runs warm-up
 * then recorded rounds and prints one {@code RESULT} line per round. Workloads: echo ({@code
 * streams} x {@code KiB} over 2 connections, SHA-256 checked) and one-way bulk ({@code MiB} on
 * one stream). Prints one table: wall time median (min..max), MB/s at the median and the ratio of
 * the median to quic-go&lt;-&gt;quic-go's in the same run; and the CPU time each round cost the
 * server and the client process (from the client's previous {@code RESULT} line to this one, so
 * only rounds after another: none without warm-up for the first; the server's read by the
 * launcher when the line arrives, the client's as its line reports it), with its ratio to quic-go's;
 * and over the same rounds, the UDP datagrams the machine sent ({@link UdpDatagrams}: both ends'
 * packets, acknowledgements included, on a machine that sends nothing else).
 *
 * <p>Pairings, server first: quic-go/quic-go, then per transport T: T/T, T server/quic-go client,
 * quic-go server/T client. The quic-go binary is {@code -Dquicpool.quicgo=PATH}, by default
 * {@code quicpool-bench/target/quic-go-peer} or {@code target/quic-go-peer} (whichever exists);
 * without it the quic-go rows are skipped with a message and no ratio is printed. Every child
 * process ends with its pairing, and with the launcher if it is killed. Exits 1 if a pairing
 * failed (its row says why). {@code -Dquicpool.bench.workloads=echo} (or {@code bulk}) runs one
 * workload only; {@code -Dquicpool.bench.mixed=false} leaves out the pairings of quicpool with
 * quic-go; {@code -Dquicpool.bench.settle=LOAD} makes each pairing wait for the machine's load
 * average to fall below {@code LOAD} first, and each prints its load at the start and its peak.
 *
 * <pre>java -cp benchmarks.jar quicpool.bench.e2e.ProcessPairs kwik,netty [rounds] [warm-up rounds] [streams] [KiB per stream] [bulk MiB]</pre>
 */
public final class ProcessPairs {
    private static final String USAGE = "ProcessPairs <kwik|netty|kwik,netty> [rounds >= 1, default 5]"
            + " [warm-up rounds >= 0, default 1] [streams >= 1, default 50] [KiB per stream >= 1, default 1024]"
            + " [bulk MiB >= 1, default 64]";
    static final String QUIC_GO = "quic-go";
    private static final int CONNECTIONS = 2;
    private static final Duration LISTEN_TIMEOUT = Duration.ofSeconds(60);
    /** Bound of one client process, warm-up and rounds together. */
    private static final Duration CLIENT_TIMEOUT = Duration.ofMinutes(10);
    /** The longest wait for the load to settle before a pairing. */
    static final Duration SETTLE_BOUND = Duration.ofMinutes(5);

    private ProcessPairs() {
    }

    /** The workload's numbers, passed to every client; the echo runs over {@code connections} QUIC connections. */
    record Plan(int rounds, int warmup, int streams, int kib, int bulkMib, int connections) {
    }

    /**
     * One pairing's recorded rounds, or why it failed.
     *
     * @param cpu       the CPU time of the recorded rounds that followed another round
     * @param datagrams the machine's UDP datagrams during the same rounds ({@link UdpDatagrams})
     */
    record Row(String server, String client, String workload, List<PeerLines.Result> rounds, List<RoundCpu> cpu,
               List<Long> datagrams, String failure) {
        Row(String server, String client, String workload, String failure) {
            this(server, client, workload, List.of(), List.of(), List.of(), failure);
        }
    }

    /** The CPU time (user and system) one round cost each process, in nanoseconds. */
    record RoundCpu(long serverNanos, long clientNanos) {
        long total() {
            return serverNanos + clientNanos;
        }
    }

    public static void main(String[] args) {
        Report.run("ProcessPairs", () -> {
            Args a = new Args(args, USAGE);
            List<String> transports = a.transports();
            Plan plan = new Plan(a.integer(1, "rounds", 5, 1), a.integer(2, "warm-up rounds", 1, 0),
                    a.integer(3, "streams", 50, 1), a.integer(4, "KiB per stream", 1024, 1),
                    a.integer(5, "bulk MiB", 64, 1), CONNECTIONS);
            Path quicGo = quicGoBinary();
            Report.line("Separate processes: echo %d streams x %d KiB over %d connections, bulk %d MiB on one stream;"
                    + " %d rounds after %d warm-up per pairing; %s", plan.streams(), plan.kib(), plan.connections(),
                    plan.bulkMib(), plan.rounds(), plan.warmup(), Report.machine());
            List<Row> rows = new ArrayList<>();
            OptionalDouble settle = settleLoad();
            for (String workload : workloads()) {
                for (String[] pair : pairings(transports, quicGo != null, mixedPairings())) {
                    if (settle.isPresent() && !MachineLoad.settle(settle.getAsDouble(), SETTLE_BOUND)) {
                        Report.line("(load still >= %.2f after %d s; running anyway)", settle.getAsDouble(),
                                SETTLE_BOUND.toSeconds());
                    }
                    try (MachineLoad load = MachineLoad.watch()) {
                        rows.add(run(pair[0], pair[1], workload, plan, quicGo));
                        Report.line("%s server / %s client, %s: load average %.2f at the start, peak %.2f",
                                pair[0], pair[1], workload, load.start(), load.peak());
                    }
                }
            }
            print(rows);
            Report.line("");
            Report.line("After: %s", Report.machine());
            List<Row> failed = rows.stream().filter(r -> r.failure() != null).toList();
            if (!failed.isEmpty()) {
                throw new IllegalStateException(failed.size() + " of " + rows.size() + " pairings failed (see the table)");
            }
        });
    }

    /**
     * The workloads to run, from {@code -Dquicpool.bench.workloads} (echo, bulk or both, comma
     * separated; default both): one alone makes a run short enough to stay quiet.
     */
    static List<String> workloads() {
        String text = System.getProperty("quicpool.bench.workloads", Workload.ECHO + "," + Workload.BULK);
        List<String> chosen = new ArrayList<>();
        for (String w : text.split(",")) {
            String name = w.trim();
            if (!name.equals(Workload.ECHO) && !name.equals(Workload.BULK)) {
                throw new IllegalArgumentException("quicpool.bench.workloads: expected echo, bulk or echo,bulk, was "
                        + text);
            }
            chosen.add(name);
        }
        return chosen;
    }

    /**
     * Whether the pairings of a quicpool end with a quic-go end run too, from {@code
     * -Dquicpool.bench.mixed} (default true): without them a run is short enough to stay quiet.
     */
    static boolean mixedPairings() {
        return Boolean.parseBoolean(System.getProperty("quicpool.bench.mixed", "true"));
    }

    /**
     * The load average each pairing waits for before it starts, from {@code
     * -Dquicpool.bench.settle} (for example {@code 0.3}; default: none, no wait): every pairing then
     * starts on an idle machine, whatever the one before it left behind, and none runs long enough
     * to lift the load past {@code quiet}'s bound. A wait is bounded by {@link #SETTLE_BOUND}.
     */
    static OptionalDouble settleLoad() {
        String text = System.getProperty("quicpool.bench.settle");
        if (text == null) {
            return OptionalDouble.empty();
        }
        try {
            double load = Double.parseDouble(text);
            if (load > 0) {
                return OptionalDouble.of(load);
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException("quicpool.bench.settle: expected a load average > 0, was " + text);
    }

    /** {server, client} pairs in table order; {@code mixed}: also quicpool against quic-go, both ways. */
    static List<String[]> pairings(List<String> transports, boolean withQuicGo, boolean mixed) {
        List<String[]> pairs = new ArrayList<>();
        if (withQuicGo) {
            pairs.add(new String[] {QUIC_GO, QUIC_GO});
        }
        for (String t : transports) {
            pairs.add(new String[] {t, t});
            if (withQuicGo && mixed) {
                pairs.add(new String[] {t, QUIC_GO});
                pairs.add(new String[] {QUIC_GO, t});
            }
        }
        return pairs;
    }

    /** The quic-go peer binary, or null (said on standard error) when there is none. */
    static Path quicGoBinary() {
        String configured = System.getProperty("quicpool.quicgo");
        List<Path> candidates = configured != null ? List.of(Path.of(configured))
                : List.of(Path.of("quicpool-bench/target/quic-go-peer"), Path.of("target/quic-go-peer"));
        for (Path p : candidates) {
            if (Files.isExecutable(p)) {
                return p.toAbsolutePath();
            }
        }
        System.err.println("SKIPPED: the quic-go rows: no executable quic-go peer at " + candidates
                + "; build it with quicpool-bench/quic-go/build.sh (needs Debian's golang-go and"
                + " golang-github-lucas-clemente-quic-go-dev) or name it with -Dquicpool.quicgo=PATH");
        return null;
    }

    /** Runs one pairing: its server process, then its client process; both have ended when it returns. */
    static Row run(String serverImpl, String clientImpl, String workload, Plan plan, Path quicGo)
            throws InterruptedException {
        String label = serverImpl + " server / " + clientImpl + " client, " + workload;
        System.err.println("running " + label);
        try (ChildProcess server = ChildProcess.start("server " + serverImpl,
                serverCommand(serverImpl, workload, quicGo))) {
            String listening = server.awaitLine(PeerLines.LISTENING, LISTEN_TIMEOUT);
            if (listening == null) {
                return new Row(serverImpl, clientImpl, workload, "the server exited "
                        + server.awaitExit(Duration.ofSeconds(10)) + " before listening; its standard error ended: "
                        + server.lastErrors());
            }
            String address = "127.0.0.1:" + PeerLines.listening(listening).getPort();
            try (ChildProcess client = ChildProcess.start("client " + clientImpl,
                    clientCommand(clientImpl, address, workload, plan, quicGo))) {
                List<PeerLines.Result> results = new ArrayList<>();
                List<RoundCpu> cpu = new ArrayList<>();
                List<Long> datagrams = new ArrayList<>();
                RoundCpu cpuBefore = null;
                OptionalLong sentBefore = OptionalLong.empty();
                long deadline = System.nanoTime() + CLIENT_TIMEOUT.toNanos();
                for (String line; (line = client.awaitLine(PeerLines.RESULT,
                        Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))) != null; ) {
                    OptionalLong sentNow = UdpDatagrams.sentSoFar();
                    PeerLines.Result r = PeerLines.Result.parse(line);
                    RoundCpu cpuNow = cpuSoFar(server, client, r);
                    if (!r.warmup()) {
                        results.add(r);
                        if (cpuBefore != null && cpuNow != null) {
                            cpu.add(new RoundCpu(cpuNow.serverNanos() - cpuBefore.serverNanos(),
                                    cpuNow.clientNanos() - cpuBefore.clientNanos()));
                        }
                        if (sentBefore.isPresent() && sentNow.isPresent()) {
                            datagrams.add(sentNow.getAsLong() - sentBefore.getAsLong());
                        }
                    }
                    cpuBefore = cpuNow;
                    sentBefore = sentNow;
                }
                int status = client.awaitExit(Duration.ofSeconds(30));
                if (status != 0 || results.size() != plan.rounds()) {
                    return new Row(serverImpl, clientImpl, workload, results, cpu, datagrams, "client exited " + status
                            + " after " + results.size() + " of " + plan.rounds() + " rounds; its standard error"
                            + " ended: " + client.lastErrors() + "; the server's standard error ended: " + server.lastErrors());
                }
                return new Row(serverImpl, clientImpl, workload, results, cpu, datagrams, null);
            }
        } catch (Exception e) {
            if (e instanceof InterruptedException ie) {
                throw ie;
            }
            return new Row(serverImpl, clientImpl, workload, e.toString());
        }
    }

    /**
     * Both processes' CPU time so far, or null if the platform does not report one of them. The
     * client's is the one its line reports, when it does: after its last line it may be gone.
     */
    private static RoundCpu cpuSoFar(ChildProcess server, ChildProcess client, PeerLines.Result line) {
        Optional<Duration> s = server.cpuTime();
        Optional<Duration> c = line.cpuNanos() >= 0 ? Optional.of(Duration.ofNanos(line.cpuNanos())) : client.cpuTime();
        return s.isPresent() && c.isPresent() ? new RoundCpu(s.get().toNanos(), c.get().toNanos()) : null;
    }

    private static List<String> serverCommand(String impl, String workload, Path quicGo) {
        if (impl.equals(QUIC_GO)) {
            return List.of(quicGo.toString(), "server", "-workload", workload, "-stdin-watch");
        }
        List<String> c = ChildProcess.java(PeerServer.class);
        c.addAll(List.of(impl, workload, PeerLines.STDIN_WATCH));
        return c;
    }

    private static List<String> clientCommand(String impl, String address, String workload, Plan plan, Path quicGo) {
        if (impl.equals(QUIC_GO)) {
            return List.of(quicGo.toString(), "client", "-addr", address, "-workload", workload,
                    "-rounds", Integer.toString(plan.rounds()), "-warmup", Integer.toString(plan.warmup()),
                    "-streams", Integer.toString(plan.streams()), "-kib", Integer.toString(plan.kib()),
                    "-conns", Integer.toString(plan.connections()), "-mib", Integer.toString(plan.bulkMib()), "-stdin-watch");
        }
        List<String> c = ChildProcess.java(PeerClient.class);
        c.addAll(List.of(impl, address, workload, Integer.toString(plan.rounds()), Integer.toString(plan.warmup()),
                Integer.toString(plan.streams()), Integer.toString(plan.kib()), Integer.toString(plan.connections()),
                Integer.toString(plan.bulkMib()), PeerLines.STDIN_WATCH));
        return c;
    }

    private static void print(List<Row> rows) {
        Report.line("");
        Report.line("| server | client | workload | wall ms median (min..max) | MB/s at the median | rounds"
                + " | wall / quic-go<->quic-go | CPU ms per round, server + client (median) | CPU / quic-go<->quic-go"
                + " | UDP datagrams per round, machine-wide (median) |");
        Report.line("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (Row row : rows) {
            if (row.failure() != null) {
                Report.line("| %s | %s | %s | failed: %s | | %d | | | | |", row.server(), row.client(), row.workload(),
                        row.failure().replace('|', '/'), row.rounds().size());
                continue;
            }
            double median = wallMedian(row);
            long bytes = row.rounds().get(0).bytes();
            List<Double> walls = walls(row);
            Report.line("| %s | %s | %s | %s (%s..%s) | %.1f | %d | %s | %s | %s | %s |", row.server(), row.client(),
                    row.workload(), Report.ms(median), Report.ms(Report.min(walls)), Report.ms(Report.max(walls)),
                    bytes / (median / 1e9) / 1e6, walls.size(), ratioToQuicGo(rows, row, ProcessPairs::wallMedian),
                    cpuCell(row), row.cpu().isEmpty() ? "n/a" : ratioToQuicGo(rows, row, ProcessPairs::cpuMedian),
                    row.datagrams().isEmpty() ? "n/a" : String.format(Locale.ROOT, "%.0f",
                            Report.median(row.datagrams().stream().map(Long::doubleValue).toList())));
        }
    }

    private static List<Double> walls(Row row) {
        return row.rounds().stream().map(r -> (double) r.wallNanos()).toList();
    }

    private static double wallMedian(Row row) {
        return Report.median(walls(row));
    }

    private static double cpuMedian(Row row) {
        return Report.median(row.cpu().stream().map(c -> (double) c.total()).toList());
    }

    private static String cpuCell(Row row) {
        if (row.cpu().isEmpty()) {
            return "n/a (no round after another)";
        }
        return String.format(Locale.ROOT, "%.0f (%.0f + %.0f)", cpuMedian(row) / 1e6,
                Report.median(row.cpu().stream().map(c -> (double) c.serverNanos()).toList()) / 1e6,
                Report.median(row.cpu().stream().map(c -> (double) c.clientNanos()).toList()) / 1e6);
    }

    private static String ratioToQuicGo(List<Row> rows, Row row, ToDoubleFunction<Row> figure) {
        for (Row base : rows) {
            if (base.server().equals(QUIC_GO) && base.client().equals(QUIC_GO)
                    && base.workload().equals(row.workload()) && base.failure() == null) {
                double baseline = figure.applyAsDouble(base);
                return Double.isNaN(baseline) ? "n/a" : Report.ratio(figure.applyAsDouble(row), baseline);
            }
        }
        return "n/a (no quic-go<->quic-go " + row.workload() + ")";
    }
}
