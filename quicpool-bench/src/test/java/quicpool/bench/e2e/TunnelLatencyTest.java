// SPDX-License-Identifier: Apache-2.0
package quicpool.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link TunnelLatency} runs every path end to end, each end in its own process, and prints a row
 * for each: direct TCP, the tunnel on Netty and the tunnel without a pool on Netty, 20 users 2 at
 * a time after 4 warm-up users; and, when the quic-go peer is built, the tunnel on quic-go. Five
 * JVMs start, seconds on a quiet machine.
 */
class TunnelLatencyTest {
    private static final TunnelLatency.Plan TINY = new TunnelLatency.Plan(List.of("netty"), List.of(2), 20, 4);

    @AfterEach
    void noPeerProcessOutlivesItsPath() {
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList())
                .as("tunnel processes still running after the run").isEmpty();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void everyPathServesEveryUserAndTheTableHasARowForIt() throws Exception {
        assumeThat(Transports.runnableHere(List.of("netty"))).as("Netty's native QUIC library runs here").isNotEmpty();

        List<TunnelLatency.Row> rows = TunnelLatency.measure(TINY);

        assertThat(rows).extracting(r -> r.path().label())
                .containsExactly("direct TCP", "tunnel netty", "tunnel, no pool netty");
        for (TunnelLatency.Row row : rows) {
            assertThat(row.failure()).as("failure of %s", row.path().label()).isNull();
            assertThat(row.concurrency()).isEqualTo(2);
            assertThat(row.round().ok()).as("users served by %s", row.path().label()).isEqualTo(20);
            assertThat(row.round().firstByte().getTotalCount()).isEqualTo(20);
            assertThat(row.round().total().getValueAtPercentile(50)).isPositive();
            // Measured, though not necessarily above zero: Linux counts a process's CPU time in clock
            // ticks (10 ms), and a round of 20 users on the direct path can cost less than one.
            assertThat(row.cpuNanos()).as("CPU time of %s", row.path().label()).hasValueSatisfying(
                    cpu -> assertThat(cpu).isNotNegative());
        }
        assertThat(rows.get(0).cpuByProcess()).containsOnlyKeys(TunnelPath.USERS, "target");
        assertThat(rows.get(1).cpuByProcess()).containsOnlyKeys(TunnelPath.USERS, "tunnel netty server",
                "tunnel netty client");
        for (TunnelLatency.Row row : rows) {
            assertThat(row.cpuByProcess().values().stream().mapToLong(Long::longValue).sum())
                    .isEqualTo(row.cpuNanos().orElseThrow());
        }
        assertThat(TunnelLatency.cpuByProcess(rows)).hasSize(rows.size()).first().asString()
                .startsWith("- direct TCP, 2 at once: users ").contains(", target ");
        List<String> table = TunnelLatency.table(rows);
        assertThat(table).hasSize(2 + rows.size());
        // The last column is each path's CPU time over direct TCP's, which can be 0 ticks (above): n/a then.
        boolean directCpuMeasured = rows.get(0).cpuNanos().orElseThrow() > 0;
        assertThat(table.get(2)).startsWith("| direct TCP | 2 | 20 | ")
                .endsWith("| 1.00 | 1.00 | 1.00 | " + (directCpuMeasured ? "1.00" : "n/a") + " |");
        assertThat(table.get(3)).startsWith("| tunnel netty | 2 | 20 | ");
        assertThat(table.get(4)).startsWith("| tunnel, no pool netty | 2 | 20 | ");
        for (String line : table.subList(3, 5)) {
            assertThat(directCpuMeasured ? line : withoutLastCell(line)).as(line).doesNotContain("n/a");
        }
    }

    private static String withoutLastCell(String tableLine) {
        return tableLine.substring(0, tableLine.lastIndexOf('|', tableLine.length() - 2));
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void theQuicGoTunnelServesEveryUserWhenItsPeerIsBuilt() throws Exception {
        assumeThat(ProcessPairs.quicGoBinary()).as("the quic-go peer (quicpool-bench/quic-go/build.sh)").isNotNull();
        TunnelLatency.Plan plan = new TunnelLatency.Plan(List.of(), List.of(2), 20, 4,
                TunnelLatency.tunnels("quic-go"));

        List<TunnelLatency.Row> rows = TunnelLatency.measure(plan);

        assertThat(rows).extracting(r -> r.path().label()).containsExactly("direct TCP", "tunnel quic-go");
        TunnelLatency.Row quicGo = rows.get(1);
        assertThat(quicGo.failure()).as("failure of the quic-go tunnel").isNull();
        assertThat(quicGo.round().ok()).as("users served").isEqualTo(20);
        assertThat(quicGo.cpuByProcess()).containsOnlyKeys(TunnelPath.USERS, "tunnel quic-go server",
                "tunnel quic-go client");
    }
}
