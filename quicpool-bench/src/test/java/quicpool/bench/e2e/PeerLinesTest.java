// SPDX-License-Identifier: Apache-2.0
package quicpool.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class PeerLinesTest {

    @Test
    void aResultLineCarriesTheClientsCpuTimeWhenItKnowsIt() {
        PeerLines.Result r = new PeerLines.Result("quicpool-netty", "echo", 2, false, 1_500_000, 4096, 7_000_000);

        assertThat(r.line()).isEqualTo("RESULT impl=quicpool-netty workload=echo round=2 warmup=false wall_ns=1500000"
                + " bytes=4096 cpu_ns=7000000");
        assertThat(PeerLines.Result.parse(r.line())).isEqualTo(r);
    }

    @Test
    void aResultLineWithoutCpuTimeParsesAsUnknown() {
        PeerLines.Result r = PeerLines.Result.parse(
                "RESULT impl=quic-go workload=bulk round=-1 warmup=true wall_ns=10 bytes=20");

        assertThat(r.cpuNanos()).isEqualTo(-1);
        assertThat(r.warmup()).isTrue();
        assertThat(r.line()).doesNotContain("cpu_ns");
    }

    @Test
    void aMalformedCpuTimeIsNamed() {
        assertThatThrownBy(() -> PeerLines.Result.parse(
                "RESULT impl=quic-go workload=bulk round=0 warmup=false wall_ns=10 bytes=20 cpu_ns=x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cpu_ns=x");
    }
}
