// SPDX-License-Identifier: Apache-2.0
package quicpool.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class UdpDatagramsTest {

    @Test
    void readsOutDatagramsFromTheUdpLinesOfTheKernelsCounters() {
        List<String> snmp = List.of(
                "Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens",
                "Tcp: 1 200 120000 -1 4242",
                "Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti MemErrors",
                "Udp: 1176530 12 3 1176548 3 0 0 0 0",
                "UdpLite: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti",
                "UdpLite: 0 0 0 7 0 0 0 0");

        assertThat(UdpDatagrams.sentIn(snmp)).isEqualTo(OptionalLong.of(1176548));
    }

    @Test
    void anInputWithoutUdpCountersGivesNothing() {
        assertThat(UdpDatagrams.sentIn(List.of("Ip: Forwarding", "Ip: 1"))).isEmpty();
        assertThat(UdpDatagrams.sentIn(List.of("Udp: InDatagrams", "Udp: 5"))).isEmpty();
    }
}
