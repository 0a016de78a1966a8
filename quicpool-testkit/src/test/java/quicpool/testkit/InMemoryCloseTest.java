// SPDX-License-Identifier: Apache-2.0
package quicpool.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import quicpool.api.spi.TransportConnection;
import quicpool.api.spi.TransportStream;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class InMemoryCloseTest {
    private final Fixture fx = new Fixture();

    @AfterEach
    void tearDown() throws InterruptedException {
        fx.close();
    }

    @Test
    void closeFailsBlockedReadsAndWritesWithTheReasonAndFiresOnCloseOncePerSide() throws Exception {
        fx.server.streamBufferLimit(8);
        try (InMemoryListener listener = fx.listen(fx.collectingHandler(), 128)) {
            TransportConnection client = fx.dial(listener);
            TransportConnection server = listener.connections().get(0);
            AtomicInteger clientClosed = new AtomicInteger();
            AtomicInteger serverClosed = new AtomicInteger();
            CountDownLatch bothClosed = new CountDownLatch(2);
            client.onClose(() -> {
                clientClosed.incrementAndGet();
                bothClosed.countDown();
            });
            server.onClose(() -> {
                serverClosed.incrementAndGet();
                bothClosed.countDown();
            });
            TransportStream stream = client.openStream(Duration.ofSeconds(5));
            TransportStream serverEnd = fx.nextAccepted();
            Future<Integer> reader = fx.workers.submit(() -> stream.inputStream().read());
            Future<?> writer = fx.workers.submit(() -> {
                stream.outputStream().write(new byte[100]);
                return null;
            });
            assertThatThrownBy(() -> reader.get(100, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
            assertThatThrownBy(() -> writer.get(10, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);

            server.close(0, "pool closed");

            assertThatThrownBy(() -> reader.get(5, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(IOException.class).hasMessageContaining("pool closed");
            assertThatThrownBy(() -> writer.get(5, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(IOException.class).hasMessageContaining("pool closed");
            assertThatThrownBy(() -> serverEnd.inputStream().read())
                    .isInstanceOf(IOException.class).hasMessageContaining("pool closed");
            assertThat(bothClosed.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(client.isOpen()).isFalse();
            assertThat(server.isOpen()).isFalse();

            client.close(0, "again");
            server.close(0, "again");
            CountDownLatch late = new CountDownLatch(1);
            client.onClose(late::countDown);
            assertThat(late.getCount()).as("a callback registered after the end runs at once").isZero();
            assertThat(clientClosed).hasValue(1);
            assertThat(serverClosed).hasValue(1);
            assertThat(listener.connections()).isEmpty();
            assertThat(fx.network.liveConnections()).isZero();
            assertThatThrownBy(() -> client.openStream(Duration.ofSeconds(1)))
                    .isInstanceOf(IOException.class).hasMessageContaining("pool closed");
        }
    }

    @Test
    void closeWakesAnOpenWaitingForCredit() throws Exception {
        try (InMemoryListener listener = fx.listen(fx.collectingHandler(), 1)) {
            TransportConnection client = fx.dial(listener);
            client.openStream(Duration.ofSeconds(1));
            Future<TransportStream> waiting = fx.workers.submit(() -> client.openStream(Duration.ofSeconds(20)));
            assertThatThrownBy(() -> waiting.get(100, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);

            client.close(0, "bye");

            assertThatThrownBy(() -> waiting.get(5, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(IOException.class).hasMessageContaining("bye");
        }
    }

    @Test
    void transportThreadsEndWhenIdle() throws Exception {
        try (InMemoryListener listener = fx.listen(fx.echoHandler(), 128)) {
            TransportConnection client = fx.dial(listener);
            TransportStream s = client.openStream(Duration.ofSeconds(1));
            s.shutdownOutput();
            assertThat(s.inputStream().read()).isEqualTo(-1);
            s.close();
            client.close(0, "done");
        }
        String prefix = "quicpool-inmem-" + fx.network.id() + "-";
        int seen = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(prefix)) {
                assertThat(t.isDaemon()).isTrue();
                seen++;
                t.join(5000);
                assertThat(t.isAlive()).as("%s still alive", t.getName()).isFalse();
            }
        }
        assertThat(seen).as("transport threads ran the callbacks").isPositive();
    }
}
