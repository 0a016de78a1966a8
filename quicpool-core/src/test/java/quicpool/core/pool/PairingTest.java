// SPDX-License-Identifier: Apache-2.0
package quicpool.core.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import quicpool.api.PoolTimeoutException;
import quicpool.api.StreamConn;
import quicpool.compliance.Conditions;

/** The tunnel pattern end to end over the in-memory transport. */
@Timeout(60)
class PairingTest {

    @Test
    void serverTakesAnyStreamAndClientTakesTheSameByIdThenBytesFlowBothWays() throws Exception {
        try (PoolPair p = PoolPair.started(4, 8)) {
            p.awaitFilled(4);
            StreamConn s = p.server.incomingGet(Duration.ofSeconds(5));
            assertThat(s.id()).matches("[0-9a-f]{8}");
            StreamConn c = p.client.outgoingGet(s.id(), Duration.ofSeconds(5));
            assertThat(c.id()).isEqualTo(s.id());
            try (s; c) {
                OutputStream out = c.outputStream();
                out.write("ping".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                byte[] got = s.inputStream().readNBytes(4);
                assertThat(new String(got, StandardCharsets.US_ASCII)).isEqualTo("ping");
                s.outputStream().write("pong".getBytes(StandardCharsets.US_ASCII));
                s.outputStream().close();
                InputStream in = c.inputStream();
                assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("pong");
            }
            assertThat(s.isOpen()).isFalse();
        }
    }

    @Test
    void clientMayTakeAnyAndServerByIdToo() throws Exception {
        try (PoolPair p = PoolPair.started(2, 2)) {
            p.awaitFilled(2);
            StreamConn c = p.client.incomingGet(Duration.ofSeconds(5));
            StreamConn s = p.server.outgoingGet(c.id().toUpperCase(java.util.Locale.ROOT), Duration.ofSeconds(5));
            try (c; s) {
                c.outputStream().write(7);
                c.outputStream().flush();
                assertThat(s.inputStream().read()).isEqualTo(7);
            }
        }
    }

    @Test
    void streamReportsItsConnectionsAddressesAndTls() throws Exception {
        try (PoolPair p = PoolPair.started(1, 1)) {
            p.awaitFilled(1);
            StreamConn s = p.server.incomingGet(Duration.ofSeconds(5));
            StreamConn c = p.client.outgoingGet(s.id(), Duration.ofSeconds(5));
            try (s; c) {
                assertThat(c.remoteAddress()).isEqualTo(p.server.localAddress());
                assertThat(s.remoteAddress()).isEqualTo(c.localAddress());
                assertThat(c.localAddress().getAddress()).isEqualTo(InetAddress.getLoopbackAddress());
                assertThat(c.tls().protocol()).isEqualTo("TLSv1.3");
                assertThat(c.tls().applicationProtocol()).isEqualTo("np-quic");
                assertThat(c.tls().peerCertificates()).containsExactly(PoolPair.CERT.certificate());
            }
        }
    }

    @Test
    void getsTimeOutSayingWhatTheyWaitedFor() {
        try (PoolPair p = new PoolPair(s -> s, c -> c)) { // the server runs, the client is not started
            assertThatThrownBy(() -> p.server.incomingGet(Duration.ofMillis(50)))
                    .isInstanceOf(PoolTimeoutException.class).hasMessageContaining("PT0.05S");
            assertThatThrownBy(() -> p.server.outgoingGet("0badcafe", Duration.ofMillis(50)))
                    .isInstanceOf(PoolTimeoutException.class).hasMessageContaining("0badcafe");
            assertThatThrownBy(() -> p.server.outgoingGet("0badcafe", Duration.ZERO))
                    .isInstanceOf(PoolTimeoutException.class);
        }
    }

    @Test
    void malformedIdsAndNegativeTimeoutsFailAtOnce() {
        try (PoolPair p = new PoolPair(s -> s, c -> c)) {
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> p.client.outgoingGet("not-hex!", Duration.ofSeconds(30)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"not-hex!\"");
            assertThatThrownBy(() -> p.client.incomingGet(Duration.ofSeconds(-1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT-1S");
            assertThatThrownBy(() -> p.client.outgoingGet(null, Duration.ofSeconds(1)))
                    .isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> p.client.incomingGet(null)).isInstanceOf(NullPointerException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void poolsOfMaxCapacity300UseThreeShardsAndThreeConnections() {
        try (PoolPair p = PoolPair.started(300, 300)) {
            p.awaitFilled(300);
            assertThat(p.client.shardCount()).isEqualTo(3);
            assertThat(p.server.shardCount()).isEqualTo(3);
            assertThat(p.client.stats().connections()).isEqualTo(3);
            assertThat(p.server.stats().connections()).isEqualTo(3);
            assertThat(p.client.ready()).isTrue();
            assertThat(p.server.ready()).isTrue();
        }
    }

    @Test
    void notReadyBeforeStartNorAfterClose() {
        PoolPair p = new PoolPair(s -> s, c -> c);
        try {
            assertThat(p.client.ready()).isFalse();
            p.client.start();
            Conditions.await("client ready", Duration.ofSeconds(10), p.client::ready);
        } finally {
            p.close();
        }
        assertThat(p.client.ready()).isFalse();
        assertThat(p.server.ready()).isFalse();
    }
}
