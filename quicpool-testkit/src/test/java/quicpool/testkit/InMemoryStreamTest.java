// SPDX-License-Identifier: Apache-2.0
package quicpool.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import quicpool.api.spi.TransportConnection;
import quicpool.api.spi.TransportStream;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class InMemoryStreamTest {
    private static final Duration OPEN = Duration.ofSeconds(5);
    private final Fixture fx = new Fixture();

    @AfterEach
    void tearDown() throws InterruptedException {
        fx.close();
    }

    @Test
    void bytesEchoThroughAStream() throws Exception {
        try (InMemoryListener listener = fx.listen(fx.echoHandler(), 128)) {
            TransportConnection conn = fx.dial(listener);
            TransportStream stream = conn.openStream(OPEN);
            byte[] payload = new byte[300_000];
            Arrays.fill(payload, (byte) 0x5a);
            payload[0] = 0;

            Future<byte[]> echoed = fx.workers.submit(() -> stream.inputStream().readAllBytes());
            stream.outputStream().write(payload);
            stream.shutdownOutput();

            assertThat(echoed.get(10, TimeUnit.SECONDS)).isEqualTo(payload);
            stream.close();
        }
    }

    @Test
    void streamIdsFollowQuicNumbering() throws Exception {
        try (InMemoryListener listener = fx.listen(fx.collectingHandler(), 128)) {
            TransportConnection conn = fx.dial(listener);
            TransportStream first = conn.openStream(OPEN);
            TransportStream second = conn.openStream(OPEN);

            assertThat(first.streamId()).isZero();
            assertThat(second.streamId()).isEqualTo(4);
            assertThat(fx.nextAccepted().streamId()).isZero();
            assertThat(fx.nextAccepted().streamId()).isEqualTo(4);
        }
    }

    @Test
    void finMakesThePeerReadMinusOneAfterTheData() throws Exception {
        try (InMemoryListener listener = fx.listen(fx.collectingHandler(), 128)) {
            TransportStream client = fx.dial(listener).openStream(OPEN);
            client.outputStream().write("hi".getBytes(StandardCharsets.US_ASCII));
            client.outputStream().close();
            TransportStream server = fx.nextAccepted();

            assertThat(server.inputStream().readAllBytes()).asString(StandardCharsets.US_ASCII).isEqualTo("hi");
            assertThat(server.inputStream().read()).isEqualTo(-1);
            // the other direction still works after a half-close
            server.outputStream().write(9);
            server.shutdownOutput();
            assertThat(client.inputStream().read()).isEqualTo(9);
            assertThat(client.inputStream().read()).isEqualTo(-1);
            assertThatThrownBy(() -> client.outputStream().write(1))
                    .isInstanceOf(IOException.class).hasMessageContaining("FIN");
        }
    }

    @Test
    void readTimesOutAndTheStreamStaysUsable() throws Exception {
        try (InMemoryListener listener = fx.listen(fx.collectingHandler(), 128)) {
            TransportStream client = fx.dial(listener).openStream(OPEN);
            TransportStream server = fx.nextAccepted();
            client.setReadTimeout(Duration.ofMillis(50));

            long start = System.nanoTime();
            assertThatThrownBy(() -> client.inputStream().read()).isInstanceOf(SocketTimeoutException.class);
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));

            server.outputStream().write(42);
            assertThat(client.inputStream().read()).isEqualTo(42);
            assertThatThrownBy(() -> client.setReadTimeout(Duration.ofMillis(-1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-0.001");
        }
    }

    @Test
    void flowControlBlocksTheWriterUntilTheReaderDrains() throws Exception {
        fx.server.streamBufferLimit(1024);
        try (InMemoryListener listener = fx.listen(fx.collectingHandler(), 128)) {
            TransportStream client = fx.dial(listener).openStream(OPEN);
            TransportStream server = fx.nextAccepted();
            byte[] payload = new byte[4096];
            Arrays.fill(payload, (byte) 1);

            Future<?> writer = fx.workers.submit(() -> {
                client.outputStream().write(payload);
                return null;
            });
            byte[] first = server.inputStream().readNBytes(1024);
            // 3072 bytes left and room for 1024: the writer cannot be done yet
            assertThatThrownBy(() -> writer.get(100, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);

            byte[] rest = server.inputStream().readNBytes(3072);
            writer.get(5, TimeUnit.SECONDS);
            assertThat(first).hasSize(1024).containsOnly(1);
            assertThat(rest).hasSize(3072).containsOnly(1);
        }
    }

    @Test
    void closingTheReaderFailsTheBlockedWriter() throws Exception {
        fx.server.streamBufferLimit(16);
        try (InMemoryListener listener = fx.listen(fx.collectingHandler(), 128)) {
            TransportStream client = fx.dial(listener).openStream(OPEN);
            TransportStream server = fx.nextAccepted();

            Future<?> writer = fx.workers.submit(() -> {
                client.outputStream().write(new byte[1000]);
                return null;
            });
            assertThatThrownBy(() -> writer.get(100, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
            server.close();

            assertThatThrownBy(() -> writer.get(5, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(IOException.class).hasMessageContaining("STOP_SENDING");
        }
    }

    @Test
    void streamCreditIsLimitedAndComesBackWhenBothEndsClose() throws Exception {
        try (InMemoryListener listener = fx.listen(fx.collectingHandler(), 2)) {
            TransportConnection conn = fx.dial(listener);
            TransportStream first = conn.openStream(OPEN);
            conn.openStream(OPEN);

            assertThatThrownBy(() -> conn.openStream(Duration.ofMillis(50)))
                    .isInstanceOf(IOException.class).hasMessageContaining("no stream credit")
                    .hasMessageContaining("2 of the 2");

            Future<TransportStream> third = fx.workers.submit(() -> conn.openStream(Duration.ofSeconds(10)));
            first.close();
            // one end closed is not enough: the server's end still holds the slot
            assertThatThrownBy(() -> third.get(100, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);

            fx.nextAccepted().close();
            assertThat(third.get(5, TimeUnit.SECONDS).streamId()).isEqualTo(8);
        }
    }

    @Test
    void creditComesBackAfterFinBothWaysAndReadsDone() throws Exception {
        try (InMemoryListener listener = fx.listen(fx.collectingHandler(), 1)) {
            TransportConnection conn = fx.dial(listener);
            TransportStream client = conn.openStream(OPEN);
            TransportStream server = fx.nextAccepted();

            client.shutdownOutput();
            server.shutdownOutput();
            assertThat(server.inputStream().read()).isEqualTo(-1);
            assertThat(client.inputStream().read()).isEqualTo(-1);

            assertThat(conn.openStream(Duration.ofSeconds(5)).streamId()).isEqualTo(4);
        }
    }

    @Test
    void openStreamWaitIsInterruptible() throws Exception {
        try (InMemoryListener listener = fx.listen(fx.collectingHandler(), 1)) {
            TransportConnection conn = fx.dial(listener);
            conn.openStream(OPEN);
            Thread.currentThread().interrupt();

            assertThatThrownBy(() -> conn.openStream(Duration.ofSeconds(10))).isInstanceOf(InterruptedException.class);
            assertThat(Thread.interrupted()).isFalse();
        }
    }

    @Test
    void serverSideCannotOpenStreams() throws Exception {
        try (InMemoryListener listener = fx.listen(fx.collectingHandler(), 128)) {
            fx.dial(listener);
            TransportConnection server = listener.connections().get(0);

            assertThatThrownBy(() -> server.openStream(OPEN))
                    .isInstanceOf(IOException.class).hasMessageContaining("server-initiated");
        }
    }
}
