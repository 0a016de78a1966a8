// SPDX-License-Identifier: Apache-2.0
package quicpool.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import quicpool.api.spi.QuicTransport;
import quicpool.compliance.PoolFixture;
import quicpool.compliance.RequiresTransport;
import quicpool.compliance.TransportComplianceKit;

/**
 * The whole compliance kit with the client pool on one transport and the server pool on another:
 * pairing, 1 MiB echoes, sharding, TLS modes, allow-list, half-close, timeouts and close semantics
 * across two QUIC implementations. Every pair this module runs includes Netty, so the suite runs
 * only where Netty's native QUIC library does (always on linux-x86_64).
 */
@RequiresTransport("netty")
abstract class InteropSuite extends TransportComplianceKit {
    private final String client;
    private final String server;

    InteropSuite(String client, String server) {
        this.client = client;
        this.server = server;
    }

    @Override
    protected final QuicTransport serverTransport() {
        return Transports.named(server);
    }

    @Override
    protected final QuicTransport clientTransport() {
        return Transports.named(client);
    }

    /** Fewer than the kit's 200 pairs, to keep the build short: a mebibyte each way per pair. */
    @Override
    protected int echoPairs() {
        return 32;
    }

    @Test
    public void eachEndRunsItsOwnTransport() {
        PoolFixture f = started(2).awaitFilled(2, Duration.ofSeconds(30));
        assertThat(f.client.stats().transport()).isEqualTo(client);
        assertThat(f.server.stats().transport()).isEqualTo(server);
    }
}
