// SPDX-License-Identifier: Apache-2.0
package quicpool.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import quicpool.api.spi.TransportConnection;
import quicpool.api.spi.TransportStream;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class InMemoryFaultsTest {
    private final Fixture fx = new Fixture();

    @AfterEach
    void tearDown() throws InterruptedException {
        fx.close();
    }

    @Test
    void failNextDialsFailsExactlyThatMany() throws Exception {
        try (InMemoryListener listener = fx.listen(fx.collectingHandler(), 128)) {
            fx.client.failNextDials(2);

            assertThatThrownBy(() -> fx.dial(listener)).isInstanceOf(IOException.class).hasMessageContaining("injected");
            assertThatThrownBy(() -> fx.dial(listener)).isInstanceOf(IOException.class).hasMessageContaining("injected");
            assertThat(fx.dial(listener).isOpen()).isTrue();
            assertThatThrownBy(() -> fx.client.failNextDials(-1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
        }
    }

    @Test
    void failNextStreamOpensFailsExactlyThatMany() throws Exception {
        try (InMemoryListener listener = fx.listen(fx.collectingHandler(), 128)) {
            TransportConnection conn = fx.dial(listener);
            fx.client.failNextStreamOpens(1);

            assertThatThrownBy(() -> conn.openStream(Duration.ofSeconds(1)))
                    .isInstanceOf(IOException.class).hasMessageContaining("injected");
            assertThat(conn.openStream(Duration.ofSeconds(1)).streamId()).isZero();
            assertThat(conn.isOpen()).isTrue();

            // the accepting side's transport may inject it too
            fx.server.failNextStreamOpens(1);
            assertThatThrownBy(() -> conn.openStream(Duration.ofSeconds(1)))
                    .isInstanceOf(IOException.class).hasMessageContaining("injected");
            assertThat(conn.openStream(Duration.ofSeconds(1)).streamId()).isEqualTo(4);
        }
    }

    @Test
    void streamOpenLatencyDelaysTheOpen() throws Exception {
        try (InMemoryListener listener = fx.listen(fx.collectingHandler(), 128)) {
            TransportConnection conn = fx.dial(listener);
            fx.client.streamOpenLatency(Duration.ofMillis(100));

            long start = System.nanoTime();
            conn.openStream(Duration.ofSeconds(1));
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(100));

            fx.client.streamOpenLatency(Duration.ZERO);
            assertThatThrownBy(() -> fx.client.streamOpenLatency(Duration.ofMillis(-5)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-0.005");
        }
    }

    @Test
    void killConnectionsEndsBothSidesAndTheirStreams() throws Exception {
        try (InMemoryListener listener = fx.listen(fx.collectingHandler(), 128)) {
            TransportConnection a = fx.dial(listener);
            TransportConnection b = fx.dial(listener);
            TransportStream stream = a.openStream(Duration.ofSeconds(1));
            CountDownLatch closed = new CountDownLatch(4);
            a.onClose(closed::countDown);
            b.onClose(closed::countDown);
            listener.connections().forEach(c -> c.onClose(closed::countDown));
            assertThat(fx.client.liveConnections()).isEqualTo(2);
            assertThat(fx.server.serverConnections()).hasSize(2);

            assertThat(fx.client.killConnections()).isEqualTo(2);

            assertThat(closed.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(a.isOpen()).isFalse();
            assertThat(b.isOpen()).isFalse();
            assertThat(fx.client.liveConnections()).isZero();
            assertThat(fx.server.liveConnections()).isZero();
            assertThat(listener.connections()).isEmpty();
            assertThatThrownBy(() -> stream.inputStream().read())
                    .isInstanceOf(IOException.class).hasMessageContaining("killed");
            // the listener itself survives
            assertThat(fx.dial(listener).isOpen()).isTrue();
        }
    }
}
