// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import quicpool.api.spi.DialSpec;
import quicpool.compliance.RequiresTransport;
import quicpool.testkit.LogCapture;

/**
 * A dial to a server that never answers fails with its timeout and nothing else: Netty logged a
 * WARNING with a stack trace ("complete already") for each, which a pool redialing an unreachable
 * server repeats every backoff.
 */
@RequiresTransport("netty")
@ExtendWith(LeakCheck.class)
@Timeout(30)
class DialTimeoutLogTest {

    @Test
    void aDialThatTimesOutLogsNoWarning() throws Exception {
        Logger netty = Logger.getLogger("io.netty"); // Netty logs through java.util.logging here
        LogCapture capture = new LogCapture();
        netty.addHandler(capture);
        NettyTransport transport = new NettyTransport();
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            DialSpec spec = new DialSpec((InetSocketAddress) silent.getLocalSocketAddress(), "localhost",
                    Loopback.CERT.trustManager(), Loopback.settings(), Duration.ofMillis(300));
            assertThatThrownBy(() -> transport.connect(spec)).isInstanceOf(SocketTimeoutException.class)
                    .hasMessageContaining("did not complete within the connect timeout");
            // Every task of the dial, its channel's close included, has run once the loops are idle.
            transport.eventLoops().whenIdle().get(10, TimeUnit.SECONDS);
        } finally {
            netty.removeHandler(capture);
        }
        assertThat(capture.records()).filteredOn(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
                .extracting(r -> r.getMessage() + " " + r.getThrown()).isEmpty();
    }
}
