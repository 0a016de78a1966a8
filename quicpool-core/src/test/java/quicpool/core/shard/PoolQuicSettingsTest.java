// SPDX-License-Identifier: Apache-2.0
package quicpool.core.shard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import quicpool.api.spi.QuicSettings;

/** The engine's QUIC settings, and the test kit's copy that transport tests dial with, agree. */
@Timeout(10)
class PoolQuicSettingsTest {

    @Test
    void idleTimeoutIsThreeKeepAlivesOverTheWireCompatibleAlpnWithAShardOfStreams() {
        QuicSettings s = PoolQuicSettings.forKeepAlive(Duration.ofSeconds(10));
        assertThat(s.applicationProtocol()).isEqualTo("np-quic");
        assertThat(s.keepAlive()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.idleTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.maxBidiStreams()).isEqualTo(128);
        assertThat(s.streamWindow()).isEqualTo(1L << 20);
        assertThat(s.connectionWindow()).isEqualTo(16L << 20);
    }

    @Test
    void theTestKitsCopyIsTheSame() {
        for (Duration keepAlive : List.of(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(10))) {
            assertThat(quicpool.testkit.PoolQuicSettings.forKeepAlive(keepAlive))
                    .isEqualTo(PoolQuicSettings.forKeepAlive(keepAlive));
        }
    }
}
