// SPDX-License-Identifier: Apache-2.0
package quicpool.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The peers' JVM options ({@link ChildJvmArgs}) and the choice of tunnel paths of {@link TunnelLatency}. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ChildJvmArgsTest {

    @Test
    void optionsAreSplitOnWhiteSpaceAndNameTheChild() {
        assertThat(ChildJvmArgs.of("  -Xmx256m\t-XX:StartFlightRecording=filename=/tmp/{name}.jfr  ", "tunnel kwik server"))
                .containsExactly("-Xmx256m", "-XX:StartFlightRecording=filename=/tmp/tunnel-kwik-server.jfr");
    }

    @Test
    void noPropertyMeansNoOptions() {
        assertThat(ChildJvmArgs.of("", "target")).isEmpty();
        assertThat(ChildJvmArgs.of("   ", "target")).isEmpty();
    }

    @Test
    void theOptionsComeBeforeTheClassPath() {
        String before = System.getProperty(ChildJvmArgs.PROPERTY);
        System.setProperty(ChildJvmArgs.PROPERTY, "-Dx={name}");
        try {
            List<String> command = ChildProcess.java(TunnelPeer.class, "tunnel, no pool netty client");
            assertThat(command.subList(1, 3)).containsExactly("-Dx=tunnel--no-pool-netty-client", "-cp");
            assertThat(command).last().isEqualTo(TunnelPeer.class.getName());
        } finally {
            if (before == null) {
                System.clearProperty(ChildJvmArgs.PROPERTY);
            } else {
                System.setProperty(ChildJvmArgs.PROPERTY, before);
            }
        }
    }

    @Test
    void directTcpIsAlwaysMeasuredBesideTheChosenTunnels() {
        assertThat(TunnelLatency.paths(List.of("kwik", "netty"), TunnelLatency.tunnels("nopool")))
                .extracting(TunnelPath.Spec::label).containsExactly("direct TCP", "tunnel, no pool kwik",
                        "tunnel, no pool netty");
        assertThat(TunnelLatency.paths(List.of("netty"), TunnelLatency.tunnels("nopool,tunnel")))
                .extracting(TunnelPath.Spec::label).containsExactly("direct TCP", "tunnel netty", "tunnel, no pool netty");
        assertThat(TunnelLatency.tunnels("tunnel")).isEqualTo(EnumSet.of(TunnelPath.Kind.TUNNEL));
    }

    @Test
    void anUnknownPathIsRefusedByName() {
        assertThatIllegalArgumentException().isThrownBy(() -> TunnelLatency.tunnels("tunnel,direct"))
                .withMessageContaining("\"tunnel,direct\"");
    }
}
