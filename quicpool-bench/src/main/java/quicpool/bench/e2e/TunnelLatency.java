// SPDX-License-Identifier: Apache-2.0
package quicpool.bench.e2e;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import org.HdrHistogram.Histogram;
import quicpool.examples.tunnel.Secret;

/**
 * The tunnel as its users feel it (issue 18): the same users through each path, in one run.
 * A user connects over TCP, sends 16 KiB, half-closes and reads the echo to its end ({@link
 * EchoUsers}); users run {@code concurrency} at a time, one after another on each thread. Paths:
 *
 * <ol>
 *   <li><b>direct TCP</b>: straight to the echo target;</li>
 *   <li><b>tunnel T</b>, per transport: the tunnel example's {@code TunnelServer} in one process
 *       and its {@code TunnelClient} with the echo target in another; users connect to the
 *       server's public port, and each takes a pooled stream;</li>
 *   <li><b>tunnel quic-go</b>: the same relay pattern on quic-go, the original's QUIC stack (the
 *       quic-go peer's {@code tunnel-server} and {@code tunnel-client}, whose control connection
 *       is plain TCP); measured when its binary is built ({@code quicpool-bench/quic-go/build.sh});</li>
 *   <li><b>tunnel, no pool T</b>: the same relay shape, but each user's connection is a fresh QUIC
 *       connection dialed after the user arrives ({@link NoPoolServer}, {@link NoPoolClient}).</li>
 * </ol>
 *
 * <p>Every end runs in its own process ({@link TunnelPeer} in a JVM, or the quic-go peer, started
 * as {@link ProcessPairs} starts its peers); the users run in this JVM. For each path and each
 * concurrency, a warm-up round, then a measured round. Prints one Markdown table: per-connection
 * p50/p99/p99.9 (connect to the echo's end), time to the first echoed byte at p50, connections per
 * second (measured users over the round's wall time) and CPU seconds per 1,000 connections (the
 * CPU time the path's processes and this JVM used during the round), with ratios to direct TCP at
 * the same concurrency; then, per row, that CPU time by process ({@link #cpuByProcess}). Exits 1 if a path failed to start or a
 * user failed (its row says so).
 *
 * <p>A fifth argument keeps the run short, as a quiet measurement needs: {@code tunnel}, {@code
 * nopool} or {@code quic-go} measures that path alone beside direct TCP. The peers' JVM options
 * come from {@link ChildJvmArgs} (a profile of each end).
 *
 * <pre>java -cp quicpool-bench/target/benchmarks.jar quicpool.bench.e2e.TunnelLatency kwik,netty 1,8,64 2000 500
 *java -cp quicpool-bench/target/benchmarks.jar quicpool.bench.e2e.TunnelLatency netty 8 1000 200 tunnel</pre>
 */
public final class TunnelLatency {
    private static final String USAGE = "TunnelLatency <kwik|netty|kwik,netty> [concurrencies >= 1, default 1,8,64]"
            + " [users per measured round >= 1, default 2000] [warm-up users >= 0, default 500]"
            + " [paths besides direct TCP, separated by commas: tunnel, nopool, quic-go; default tunnel,nopool and"
            + " quic-go when its peer binary is built]";

    private TunnelLatency() {
    }

    /**
     * What to run: the tunnels' transports, the concurrencies, users per measured and warm-up
     * round, and which tunnel paths besides direct TCP (always measured, the baseline).
     */
    record Plan(List<String> transports, List<Integer> concurrencies, int users, int warmup,
                Set<TunnelPath.Kind> tunnels) {
        Plan {
            tunnels = Set.copyOf(tunnels);
        }

        /** Both tunnel paths. */
        Plan(List<String> transports, List<Integer> concurrencies, int users, int warmup) {
            this(transports, concurrencies, users, warmup, EnumSet.of(TunnelPath.Kind.TUNNEL, TunnelPath.Kind.NO_POOL));
        }
    }

    /**
     * One path at one concurrency: its measured round, or why it failed (then {@code round} is
     * null); the CPU time of the round in all processes, and by process (empty if unknown).
     */
    record Row(TunnelPath.Spec path, int concurrency, EchoUsers.Round round, Optional<Long> cpuNanos,
               Map<String, Long> cpuByProcess, String failure) {
    }

    public static void main(String[] args) {
        Report.run("TunnelLatency", () -> {
            Args a = new Args(args, USAGE);
            Plan plan = new Plan(a.transports(), a.integers(1, "concurrencies", List.of(1, 8, 64), 1),
                    a.integer(2, "users", 2000, 1), a.integer(3, "warm-up users", 500, 0),
                    tunnels(args.length > 4 ? args[4] : defaultPaths()));
            Report.line("Tunnel latency: each user connects, sends %d KiB, half-closes, reads the echo to its end;"
                    + " %d users per measured round after %d warm-up, at %s at a time; %s", EchoUsers.PAYLOAD / 1024,
                    plan.users(), plan.warmup(), plan.concurrencies(), Report.machine());
            List<Row> rows = measure(plan);
            Report.line("");
            table(rows).forEach(line -> Report.line("%s", line));
            Report.line("");
            Report.line("CPU s per 1,000 connections by process (%s: this JVM, where the users run):", TunnelPath.USERS);
            cpuByProcess(rows).forEach(line -> Report.line("%s", line));
            Report.line("");
            Report.line("After: %s", Report.machine());
            long failed = rows.stream().filter(r -> r.failure() != null).count();
            if (failed > 0) {
                throw new IllegalStateException(failed + " of " + rows.size() + " rows failed (see the table)");
            }
        });
    }

    /** The paths besides direct TCP when none are named: quic-go's too when its peer binary has been built. */
    private static String defaultPaths() {
        return ProcessPairs.quicGoBinary() == null ? "tunnel,nopool" : "tunnel,nopool,quic-go";
    }

    /**
     * The tunnel paths named in {@code text}: {@code tunnel}, {@code nopool}, {@code quic-go}, or
     * several separated by commas.
     *
     * @throws IllegalArgumentException naming the text and what was expected
     */
    static Set<TunnelPath.Kind> tunnels(String text) {
        Set<TunnelPath.Kind> kinds = EnumSet.noneOf(TunnelPath.Kind.class);
        for (String name : text.split(",", -1)) {
            switch (name.trim()) {
                case "tunnel" -> kinds.add(TunnelPath.Kind.TUNNEL);
                case "nopool" -> kinds.add(TunnelPath.Kind.NO_POOL);
                case "quic-go" -> kinds.add(TunnelPath.Kind.QUIC_GO);
                default -> throw new IllegalArgumentException("paths (argument 5) must be tunnel, nopool, quic-go or"
                        + " several of them separated by commas, was \"" + text + "\" (usage: " + USAGE + ")");
            }
        }
        return kinds;
    }

    /**
     * The paths in table order: direct TCP, then per transport the tunnel, the tunnel on quic-go,
     * then per transport the tunnel without a pool (each if {@code tunnels} holds it).
     */
    static List<TunnelPath.Spec> paths(List<String> transports, Set<TunnelPath.Kind> tunnels) {
        List<TunnelPath.Spec> paths = new ArrayList<>();
        paths.add(new TunnelPath.Spec(TunnelPath.Kind.DIRECT, null));
        if (tunnels.contains(TunnelPath.Kind.TUNNEL)) {
            for (String t : transports) {
                paths.add(new TunnelPath.Spec(TunnelPath.Kind.TUNNEL, t));
            }
        }
        if (tunnels.contains(TunnelPath.Kind.QUIC_GO)) {
            paths.add(new TunnelPath.Spec(TunnelPath.Kind.QUIC_GO, null));
        }
        if (tunnels.contains(TunnelPath.Kind.NO_POOL)) {
            for (String t : transports) {
                paths.add(new TunnelPath.Spec(TunnelPath.Kind.NO_POOL, t));
            }
        }
        return paths;
    }

    /** Runs every path at every concurrency; rows ordered by concurrency, then path. */
    static List<Row> measure(Plan plan) throws InterruptedException {
        byte[] key = new byte[24];
        new SecureRandom().nextBytes(key);
        Map<String, String> environment = Map.of(Secret.ENVIRONMENT_VARIABLE, HexFormat.of().formatHex(key));
        List<TunnelPath.Spec> paths = paths(plan.transports(), plan.tunnels());
        Row[][] rows = new Row[plan.concurrencies().size()][paths.size()];
        for (int p = 0; p < paths.size(); p++) {
            TunnelPath.Spec spec = paths.get(p);
            System.err.println("running " + spec.label());
            try (TunnelPath path = TunnelPath.start(spec, environment)) {
                for (int c = 0; c < plan.concurrencies().size(); c++) {
                    rows[c][p] = round(path, spec, plan.concurrencies().get(c), plan);
                }
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                for (int c = 0; c < plan.concurrencies().size(); c++) {
                    if (rows[c][p] == null) {
                        rows[c][p] = new Row(spec, plan.concurrencies().get(c), null, Optional.empty(), Map.of(),
                                e.toString());
                    }
                }
            }
        }
        List<Row> ordered = new ArrayList<>();
        for (Row[] atConcurrency : rows) {
            ordered.addAll(List.of(atConcurrency));
        }
        return ordered;
    }

    private static Row round(TunnelPath path, TunnelPath.Spec spec, int concurrency, Plan plan)
            throws InterruptedException {
        if (plan.warmup() > 0) {
            EchoUsers.run(path.usersAddress(), plan.warmup(), concurrency);
        }
        Optional<Map<String, Long>> cpuBefore = path.cpuNanosByProcess();
        EchoUsers.Round round = EchoUsers.run(path.usersAddress(), plan.users(), concurrency);
        Optional<Map<String, Long>> cpuAfter = path.cpuNanosByProcess();
        Map<String, Long> byProcess = new LinkedHashMap<>();
        if (cpuBefore.isPresent() && cpuAfter.isPresent()) {
            cpuAfter.get().forEach((name, after) -> byProcess.put(name, after - cpuBefore.get().getOrDefault(name, 0L)));
        }
        Optional<Long> cpu = byProcess.isEmpty() ? Optional.empty()
                : Optional.of(byProcess.values().stream().mapToLong(Long::longValue).sum());
        String failure = round.failed() == 0 ? null
                : round.failed() + " of " + plan.users() + " users failed, first: " + round.firstFailure();
        return new Row(spec, concurrency, round, cpu, Collections.unmodifiableMap(byProcess), failure);
    }

    /** The Markdown table of {@code rows}, header first. */
    static List<String> table(List<Row> rows) {
        List<String> lines = new ArrayList<>();
        lines.add("| path | users at once | connections | p50 ms | p99 ms | p99.9 ms | first byte p50 ms | connections/s"
                + " | CPU s per 1,000 | p50 / direct | p99 / direct | connections/s / direct | CPU / direct |");
        lines.add("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (Row row : rows) {
            if (row.round() == null) {
                lines.add(String.format(Locale.ROOT, "| %s | %d | failed: %s | | | | | | | | | | |", row.path().label(),
                        row.concurrency(), row.failure().replace('|', '/')));
                continue;
            }
            Row direct = rows.stream().filter(r -> r.path().kind() == TunnelPath.Kind.DIRECT
                    && r.concurrency() == row.concurrency() && r.round() != null).findFirst().orElse(null);
            Histogram h = row.round().total();
            lines.add(String.format(Locale.ROOT, "| %s | %d | %d%s | %s | %s | %s | %s | %.0f | %s | %s | %s | %s | %s |",
                    row.path().label(), row.concurrency(), row.round().ok(),
                    row.failure() == null ? "" : " (" + row.failure().replace('|', '/') + ")",
                    Report.ms(h.getValueAtPercentile(50)), Report.ms(h.getValueAtPercentile(99)),
                    Report.ms(h.getValueAtPercentile(99.9)), Report.ms(row.round().firstByte().getValueAtPercentile(50)),
                    perSecond(row), cpuPerThousand(row).map(s -> String.format(Locale.ROOT, "%.2f", s)).orElse("n/a"),
                    direct == null ? "n/a" : Report.ratio(h.getValueAtPercentile(50),
                            direct.round().total().getValueAtPercentile(50)),
                    direct == null ? "n/a" : Report.ratio(h.getValueAtPercentile(99),
                            direct.round().total().getValueAtPercentile(99)),
                    direct == null ? "n/a" : Report.ratio(perSecond(row), perSecond(direct)),
                    direct == null || cpuPerThousand(row).isEmpty() || cpuPerThousand(direct).isEmpty() ? "n/a"
                            : Report.ratio(cpuPerThousand(row).get(), cpuPerThousand(direct).get())));
        }
        return lines;
    }

    private static double perSecond(Row row) {
        return row.round().ok() / (row.round().wallNanos() / 1e9);
    }

    /** CPU seconds per 1,000 successful connections. */
    private static Optional<Double> cpuPerThousand(Row row) {
        long ok = row.round().ok();
        return ok == 0 ? Optional.empty() : row.cpuNanos().map(n -> perThousand(n, ok));
    }

    private static double perThousand(long nanos, long connections) {
        return nanos / 1e9 / connections * 1000;
    }

    /**
     * One line per measured row whose CPU time is known: CPU seconds per 1,000 successful
     * connections in each of its processes, in start order.
     */
    static List<String> cpuByProcess(List<Row> rows) {
        List<String> lines = new ArrayList<>();
        for (Row row : rows) {
            if (row.round() == null || row.round().ok() == 0 || row.cpuByProcess().isEmpty()) {
                continue;
            }
            StringJoiner processes = new StringJoiner(", ");
            row.cpuByProcess().forEach((name, nanos) -> processes.add(String.format(Locale.ROOT, "%s %.2f", name,
                    perThousand(nanos, row.round().ok()))));
            lines.add(String.format(Locale.ROOT, "- %s, %d at once: %s", row.path().label(), row.concurrency(),
                    processes));
        }
        return lines;
    }
}
