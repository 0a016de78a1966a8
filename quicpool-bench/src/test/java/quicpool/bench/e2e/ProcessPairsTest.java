// SPDX-License-Identifier: Apache-2.0
package quicpool.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ProcessPairs} pairs a server process with a client process and leaves no process behind:
 * quicpool on Netty at both ends, and (when {@code quicpool-bench/target/quic-go-peer} was built
 * by {@code quicpool-bench/quic-go/build.sh}) quic-go at either end. One tiny round each; each
 * pairing starts its JVMs and fills a client pool of 128 streams, seconds on a quiet machine. The
 * Netty peers trace their connections (qlog, a few MB) into {@code target/process-pairs-qlog/TEST},
 * kept until the test runs again, so that a stall shows which packet was missing.
 */
class ProcessPairsTest {
    /** 1 recorded round after 1 warm-up, 4 streams x 64 KiB of echo over 1 connection, 1 MiB of bulk. */
    private static final ProcessPairs.Plan TINY = new ProcessPairs.Plan(1, 1, 4, 64, 1, 1);

    private String childJvmArgsBefore;
    private Path qlog;

    @BeforeEach
    void tracePeerConnections(TestInfo test) throws IOException {
        qlog = Path.of("target", "process-pairs-qlog", test.getTestMethod().orElseThrow().getName()).toAbsolutePath();
        if (Files.isDirectory(qlog)) {
            try (Stream<Path> old = Files.list(qlog)) {
                for (Path file : old.toList()) {
                    Files.delete(file);
                }
            }
        }
        Files.createDirectories(qlog);
        childJvmArgsBefore = System.getProperty(ChildJvmArgs.PROPERTY);
        System.setProperty(ChildJvmArgs.PROPERTY, (childJvmArgsBefore == null ? "" : childJvmArgsBefore + " ")
                + "-Dquicpool.netty.qlog=" + qlog);
    }

    @AfterEach
    void noPeerProcessOutlivesItsPairing() {
        if (childJvmArgsBefore == null) {
            System.clearProperty(ChildJvmArgs.PROPERTY);
        } else {
            System.setProperty(ChildJvmArgs.PROPERTY, childJvmArgsBefore);
        }
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList())
                .as("peer processes still running after the pairing").isEmpty();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void quicpoolServerAndClientProcessesPair() throws Exception {
        assumeThat(Transports.runnableHere(List.of("netty"))).as("Netty's native QUIC library runs here").isNotEmpty();

        assertSucceeded(ProcessPairs.run("netty", "netty", Workload.ECHO, TINY, null), 2L * 4 * 64 * 1024);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void quicGoPairsWithItselfAndWithQuicpoolInEitherRoleForEchoAndBulk() throws Exception {
        Path quicGo = ProcessPairs.quicGoBinary();
        assumeThat(quicGo).as("the quic-go peer is not built (quicpool-bench/quic-go/build.sh): quic-go legs skipped")
                .isNotNull();
        assumeThat(Transports.runnableHere(List.of("netty"))).as("Netty's native QUIC library runs here").isNotEmpty();

        long echoed = 2L * 4 * 64 * 1024;
        assertSucceeded(ProcessPairs.run(ProcessPairs.QUIC_GO, ProcessPairs.QUIC_GO, Workload.ECHO, TINY, quicGo), echoed);
        assertSucceeded(ProcessPairs.run("netty", ProcessPairs.QUIC_GO, Workload.BULK, TINY, quicGo), 1L << 20);
        assertSucceeded(ProcessPairs.run(ProcessPairs.QUIC_GO, "netty", Workload.ECHO, TINY, quicGo), echoed);
    }

    private void assertSucceeded(ProcessPairs.Row row, long bytes) {
        assertThat(row.failure()).as("failure of %s server / %s client, %s (the Netty peers' qlog traces: %s)",
                row.server(), row.client(), row.workload(), qlog).isNull();
        assertThat(row.rounds()).hasSize(1);
        PeerLines.Result r = row.rounds().get(0);
        assertThat(r.warmup()).isFalse();
        assertThat(r.workload()).isEqualTo(row.workload());
        assertThat(r.bytes()).isEqualTo(bytes);
        assertThat(r.wallNanos()).isPositive();
        assertThat(row.cpu()).as("the recorded round's CPU time, measured from the warm-up's end").hasSize(1);
        assertThat(row.cpu().get(0).serverNanos()).isNotNegative();
        assertThat(row.cpu().get(0).clientNanos()).isNotNegative();
        if (Files.isReadable(UdpDatagrams.SNMP)) {
            assertThat(row.datagrams()).as("the machine's UDP datagrams during the recorded round").hasSize(1);
            assertThat(row.datagrams().get(0)).as("datagrams of a round that echoed bytes").isPositive();
        }
    }
}
