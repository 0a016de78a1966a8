// SPDX-License-Identifier: Apache-2.0
package quicpool.core.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Replays every trace at every open latency against both controllers and writes the tables of
 * BENCHMARKS.md to {@code target/controller-traces.md} (and standard output). Runs as a test (it
 * asserts that the adaptive controller never misses more than the classic one, within bounds) or
 * as a program whose argument is the output file.
 */
@Timeout(60)
class ControllerTraceReport {
    private static final long SECOND = 1_000_000_000L;

    public static void main(String[] args) throws IOException {
        write(run(), Path.of(args.length > 0 ? args[0] : "target/controller-traces.md"));
    }

    @Test
    void adaptiveMissesNoMoreThanClassicOnAnyTraceAndStaysInBounds() throws IOException {
        List<SimResult[]> rows = run();
        write(rows, Path.of("target/controller-traces.md"));
        for (SimResult[] r : rows) {
            assertThat(r[1].missRate()).as("%s%n vs %s", r[1], r[0]).isLessThanOrEqualTo(r[0].missRate());
            assertThat(r[1].peakCapacity()).isLessThanOrEqualTo(Replays.BOUNDS.maxCapacity());
            assertThat(r[1].lowestCapacity()).isGreaterThanOrEqualTo(Replays.BOUNDS.minCapacity());
        }
    }

    /** Pairs of {classic, adaptive}, per trace and latency. */
    static List<SimResult[]> run() {
        List<SimResult[]> rows = new ArrayList<>();
        for (DemandTrace trace : DemandTrace.all()) {
            for (Duration latency : Replays.LATENCIES) {
                rows.add(new SimResult[] {Replays.classic(trace, latency), Replays.adaptive(trace, latency)});
            }
        }
        return rows;
    }

    static void write(List<SimResult[]> rows, Path out) throws IOException {
        String report = table(rows) + "\n" + targets(rows) + "\n" + ramp();
        System.out.println(report);
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, report);
    }

    static String table(List<SimResult[]> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("| trace | open latency | controller | miss rate | mean wait | p99 wait | idle stream-s"
                + " | streams opened | peak target | refill cycles |\n");
        sb.append("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (SimResult[] pair : rows) {
            for (SimResult r : pair) {
                sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %,.0f | %,d | %d | %,d |%n",
                        r.trace(), Replays.millis(r.openLatency()), r.controller(), percent(r.missRate()),
                        ms(r.meanWaitMillis()), ms(r.p99WaitMillis()), r.idleStreamSeconds(), r.opened(),
                        r.peakCapacity(), r.cycles()));
            }
        }
        return sb.toString();
    }

    /** The step burst's targets: miss and idle ratios, and misses early and late in the burst. */
    static String targets(List<SimResult[]> rows) {
        DemandTrace step = DemandTrace.stepBurst();
        long burst = step.burstNanos();
        StringBuilder sb = new StringBuilder();
        sb.append("| step 10->500/s, open latency | miss rate adaptive / classic | idle stream-s adaptive / classic"
                + " | adaptive misses in the burst's first 2 s | adaptive misses in its last 18 s |\n");
        sb.append("| ---: | ---: | ---: | ---: | ---: |\n");
        for (SimResult[] r : rows) {
            if (!r[0].trace().equals(step.name())) {
                continue;
            }
            sb.append(String.format(Locale.ROOT, "| %s | %s / %s = %.4f | %,.0f / %,.0f = %.2f | %d | %d |%n",
                    Replays.millis(r[0].openLatency()), percent(r[1].missRate()), percent(r[0].missRate()),
                    r[1].missRate() / r[0].missRate(), r[1].idleStreamSeconds(), r[0].idleStreamSeconds(),
                    r[1].idleStreamSeconds() / r[0].idleStreamSeconds(),
                    r[1].missesBetween(burst, burst + 2 * SECOND),
                    r[1].missesBetween(burst + 2 * SECOND, burst + 20 * SECOND)));
        }
        return sb.toString();
    }

    /** When the target first reaches 200 after the burst starts, for bursts of several sizes. */
    static String ramp() {
        StringBuilder sb = new StringBuilder();
        sb.append("| step 10->N/s for 20 s, open latency 50 ms | controller | target at burst start + 2 s"
                + " | target reaches 200 after | peak target | miss rate |\n");
        sb.append("| ---: | --- | ---: | ---: | ---: | ---: |\n");
        for (int rate : new int[] {500, 1000, 2000}) {
            DemandTrace step = rampTrace(rate);
            for (SimResult r : List.of(Replays.classic(step, Duration.ofMillis(50)),
                    Replays.adaptive(step, Duration.ofMillis(50)))) {
                long reached = r.firstCapacityAtLeast(200, step.burstNanos(), step.burstNanos() + 20 * SECOND);
                sb.append(String.format(Locale.ROOT, "| %d | %s | %d | %s | %d | %s |%n", rate, r.controller(),
                        r.capacityAt(step.burstNanos() + 2 * SECOND),
                        reached < 0 ? "not within the burst" : ms((reached - step.burstNanos()) / 1e6),
                        r.peakCapacity(), percent(r.missRate())));
            }
        }
        return sb.toString();
    }

    /** 10 takes/s for 20 s, {@code rate} takes/s for 20 s, 10 takes/s for 20 s. */
    static DemandTrace rampTrace(int rate) {
        return new DemandTrace.Shape("step 10->" + rate + "/s").constant(0, 20, 10).constant(20, 40, rate)
                .constant(40, 60, 10).build(6, 20);
    }

    private static String percent(double share) {
        return share == 0 ? "0" : sig(100 * share) + "%";
    }

    private static String ms(double millis) {
        if (millis == 0) {
            return "0";
        }
        if (millis >= 100) {
            return String.format(Locale.ROOT, "%,.0f ms", millis);
        }
        return millis >= 1 ? sig(millis) + " ms" : millis >= 0.001 ? sig(millis * 1e3) + " µs" : sig(millis * 1e6) + " ns";
    }

    /** Three significant digits, no exponent. */
    private static String sig(double v) {
        return new BigDecimal(v).round(new MathContext(3)).stripTrailingZeros().toPlainString();
    }
}
