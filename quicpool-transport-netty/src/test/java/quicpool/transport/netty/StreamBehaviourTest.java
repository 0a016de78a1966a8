// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import quicpool.api.spi.QuicSettings;
import quicpool.api.spi.TransportConnection;
import quicpool.api.spi.TransportStream;
import quicpool.compliance.RequiresTransport;

@RequiresTransport("netty")
@ExtendWith(LeakCheck.class)
@Timeout(60)
class StreamBehaviourTest {

    @Test
    void readTimesOutAndTheStreamStaysUsable() throws Exception {
        try (Loopback loop = new Loopback()) {
            TransportStream client = loop.dial().openStream(Duration.ofSeconds(5));
            client.outputStream().write(0);
            TransportStream server = loop.nextPeerStream();
            assertThat(server.inputStream().read()).isZero();

            client.setReadTimeout(Duration.ofMillis(200));
            long start = System.nanoTime();
            assertThatThrownBy(() -> client.inputStream().read())
                    .isInstanceOf(SocketTimeoutException.class)
                    .hasMessageContaining("within 200 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));

            server.outputStream().write(7);
            assertThat(client.inputStream().read()).isEqualTo(7);
            assertThatThrownBy(() -> client.inputStream().read()).isInstanceOf(SocketTimeoutException.class)
                    .hasMessageContaining("(1 bytes read before it, no FIN received)");
            client.setReadTimeout(Duration.ZERO);
            client.close();
            server.close();
        }
    }

    @Test
    void badReadTimeoutIsRefused() throws Exception {
        try (Loopback loop = new Loopback()) {
            TransportStream client = loop.dial().openStream(Duration.ofSeconds(5));
            assertThatThrownBy(() -> client.setReadTimeout(Duration.ofMillis(-1)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("PT-0.001S");
            client.close();
        }
    }

    @Test
    void finReadsAsEndOfStreamWhileTheOtherDirectionGoesOn() throws Exception {
        try (Loopback loop = new Loopback()) {
            TransportStream client = loop.dial().openStream(Duration.ofSeconds(5));
            client.outputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
            client.shutdownOutput();
            client.shutdownOutput(); // idempotent

            TransportStream server = loop.nextPeerStream();
            assertThat(server.inputStream().readAllBytes()).asString(StandardCharsets.US_ASCII).isEqualTo("hello");
            assertThat(server.inputStream().read()).isEqualTo(-1);

            server.outputStream().write("bye".getBytes(StandardCharsets.US_ASCII));
            server.outputStream().close(); // FIN
            assertThat(client.inputStream().readAllBytes()).asString(StandardCharsets.US_ASCII).isEqualTo("bye");
            assertThatThrownBy(() -> client.outputStream().write(1))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("shut down");
            client.close();
            server.close();
        }
    }

    @Test
    void closedStreamRefusesReadsAndWritesAndCloseIsIdempotent() throws Exception {
        try (Loopback loop = new Loopback()) {
            TransportStream client = loop.dial().openStream(Duration.ofSeconds(5));
            client.outputStream().write(1);
            TransportStream server = loop.nextPeerStream();
            client.close();
            client.close();
            assertThatThrownBy(() -> client.inputStream().read()).isInstanceOf(IOException.class)
                    .hasMessageContaining("closed");
            assertThatThrownBy(() -> client.outputStream().write(1)).isInstanceOf(IOException.class);
            // The peer gets the byte, then FIN.
            assertThat(server.inputStream().read()).isEqualTo(1);
            assertThat(server.inputStream().read()).isEqualTo(-1);
            server.close();
        }
    }

    @Test
    void slowReaderBlocksTheWriterAndBoundsMemory() throws Exception {
        QuicSettings small = new QuicSettings(QuicSettings.ALPN, Duration.ofSeconds(10), Duration.ofSeconds(30),
                128, 64 * 1024, 1 << 20);
        try (Loopback loop = new Loopback(small, null)) {
            TransportStream client = loop.dial().openStream(Duration.ofSeconds(5));
            byte[] data = EchoTest.random(4 << 20, 7);
            AtomicLong accepted = new AtomicLong();
            Future<?> writer = loop.workers.submit(() -> {
                for (int off = 0; off < data.length; off += 16 * 1024) {
                    client.outputStream().write(data, off, 16 * 1024);
                    accepted.addAndGet(16 * 1024);
                }
                client.shutdownOutput();
                return null;
            });
            TransportStream server = loop.nextPeerStream(); // arrives with the first bytes; nobody reads yet

            assertThatThrownBy(() -> writer.get(500, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
            // Stream window 64 KiB + the reader's queue + the writer's pending bytes, far below 4 MiB.
            long bound = 64 * 1024 + StreamInput.HIGH_WATER + 64 * 1024 + StreamOutput.MAX_PENDING + 32 * 1024;
            assertThat(accepted.get()).isLessThanOrEqualTo(bound);
            assertThat(((StreamInput) server.inputStream()).queuedBytes())
                    .isLessThanOrEqualTo(StreamInput.HIGH_WATER + 64 * 1024);

            byte[] got = server.inputStream().readAllBytes();
            writer.get(30, TimeUnit.SECONDS);
            assertThat(EchoTest.sha256(got)).isEqualTo(EchoTest.sha256(data));
            client.close();
            server.close();
        }
    }

    @Test
    void blockedReadsAndWritesAreInterruptible() throws Exception {
        QuicSettings small = new QuicSettings(QuicSettings.ALPN, Duration.ofSeconds(10), Duration.ofSeconds(30),
                128, 64 * 1024, 1 << 20);
        try (Loopback loop = new Loopback(small, null)) {
            TransportStream client = loop.dial().openStream(Duration.ofSeconds(5));
            client.outputStream().write(0);
            TransportStream server = loop.nextPeerStream();

            Throwable readOutcome = outcomeOfInterrupted(() -> client.inputStream().read());
            assertThat(readOutcome).isInstanceOf(InterruptedIOException.class);

            Throwable writeOutcome = outcomeOfInterrupted(() -> {
                byte[] chunk = new byte[64 * 1024];
                for (int i = 0; i < 128; i++) {
                    client.outputStream().write(chunk);
                }
            });
            assertThat(writeOutcome).isInstanceOf(InterruptedIOException.class);
            client.close();
            server.close();
        }
    }

    /** Runs {@code blocking} on a new thread, interrupts it, and returns what it threw. */
    private static Throwable outcomeOfInterrupted(Blocking blocking) throws Exception {
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                blocking.run();
                outcome.complete(null);
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        t.start();
        t.interrupt();
        return outcome.get(10, TimeUnit.SECONDS);
    }

    private interface Blocking {
        void run() throws Exception;
    }

    @Test
    void aPeerResetIsReportedToReaderAndAbortCallback() throws Exception {
        try (Loopback loop = new Loopback()) {
            TransportStream client = loop.dial().openStream(Duration.ofSeconds(5));
            CountDownLatch aborted = new CountDownLatch(1);
            client.onPeerAbort(aborted::countDown);
            client.outputStream().write(0);
            NettyStream server = (NettyStream) loop.nextPeerStream();

            server.channel().shutdownOutput(7); // RESET_STREAM with code 7

            assertThat(aborted.await(5, TimeUnit.SECONDS)).isTrue();
            assertThatThrownBy(() -> client.inputStream().read())
                    .isInstanceOf(IOException.class).hasMessageContaining("reset by the peer (code 7)");
            CountDownLatch late = new CountDownLatch(1);
            client.onPeerAbort(late::countDown); // after the fact: runs at once
            assertThat(late.getCount()).isZero();
            client.close();
            server.close();
        }
    }

    @Test
    void aPeerStopSendingFailsTheBlockedWriterAndRunsTheAbortCallback() throws Exception {
        QuicSettings small = new QuicSettings(QuicSettings.ALPN, Duration.ofSeconds(10), Duration.ofSeconds(30),
                128, 64 * 1024, 1 << 20);
        try (Loopback loop = new Loopback(small, null)) {
            TransportStream client = loop.dial().openStream(Duration.ofSeconds(5));
            CountDownLatch aborted = new CountDownLatch(1);
            client.onPeerAbort(aborted::countDown);
            Future<?> writer = loop.workers.submit(() -> {
                byte[] chunk = new byte[64 * 1024];
                for (int i = 0; i < 64; i++) {
                    client.outputStream().write(chunk);
                }
                return null;
            });
            NettyStream server = (NettyStream) loop.nextPeerStream();
            assertThatThrownBy(() -> writer.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);

            server.channel().shutdownInput(5); // STOP_SENDING

            assertThat(aborted.await(5, TimeUnit.SECONDS)).isTrue();
            assertThatThrownBy(() -> writer.get(5, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(IOException.class).hasMessageContaining("STOP_SENDING");
            client.close();
            server.close();
        }
    }

    @Test
    void streamsOfARefusingHandlerAreClosed() throws Exception {
        try (Loopback loop = new Loopback(Loopback.settings(), null, false)) {
            TransportStream client = loop.dial().openStream(Duration.ofSeconds(5));
            client.outputStream().write(0);
            client.setReadTimeout(Duration.ofSeconds(5));
            InputStream in = client.inputStream();
            assertThat(in.read()).isEqualTo(-1);
            client.close();
        }
    }
}
