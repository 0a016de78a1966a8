// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import quicpool.api.spi.TransportConnection;
import quicpool.api.spi.TransportListener;
import quicpool.api.spi.TransportStream;

@Timeout(60)
class KwikThreadsTest {

    private static final System.Logger LOG = System.getLogger("quicpool.transport.kwik.test");

    private final Loopback loopback = new Loopback();

    @AfterEach
    void tearDown() throws InterruptedException {
        loopback.close();
    }

    @Test
    void leavesNoThreadAfterConnectionsAndListenerClose() throws Exception {
        Threads threads = Threads.snapshot();
        TransportListener listener = loopback.listenEcho();
        int afterListen = threads.started().size();

        List<TransportConnection> connections = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            TransportConnection connection = loopback.connect(listener);
            connections.add(connection);
            for (int s = 0; s < 4; s++) {
                TransportStream stream = connection.openStream(Duration.ofSeconds(5));
                stream.setReadTimeout(Duration.ofSeconds(5));
                stream.outputStream().write(s);
                stream.shutdownOutput();
                assertThat(stream.inputStream().read()).isEqualTo(s);
                stream.close();
            }
        }
        int withConnections = threads.started().size();
        LOG.log(System.Logger.Level.INFO, () -> "threads: listener " + afterListen + ", with 3 connections "
                + withConnections + ": " + Threads.describe(threads.started()));

        long start = System.nanoTime();
        connections.forEach(c -> c.close(0, "done"));
        listener.close();
        long listenerClosed = System.nanoTime();
        loopback.close(); // the test's own server threads

        List<Thread> left = threads.awaitStartedEnded(Duration.ofSeconds(15));
        LOG.log(System.Logger.Level.INFO, () -> "listener close took " + (listenerClosed - start) / 1_000_000
                + " ms; all threads ended after " + (System.nanoTime() - start) / 1_000_000 + " ms");
        assertThat(left).as("threads alive after close: %s", Threads.describe(left)).isEmpty();
    }

    /**
     * Kwik gives each connection a loss-detection thread of its own ("loss-detection-N"); the
     * transport's connections share one timer thread instead, on both ends, while their streams
     * still carry every byte.
     */
    @Test
    void connectionsShareOneLossDetectionThread() throws Exception {
        Threads threads = Threads.snapshot();
        TransportListener listener = loopback.listenEcho();
        List<TransportConnection> connections = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            TransportConnection connection = loopback.connect(listener);
            connections.add(connection);
            TransportStream stream = connection.openStream(Duration.ofSeconds(5));
            stream.setReadTimeout(Duration.ofSeconds(5));
            byte[] sent = new byte[64 * 1024];
            java.util.Arrays.fill(sent, (byte) i);
            stream.outputStream().write(sent);
            stream.shutdownOutput();
            assertThat(stream.inputStream().readAllBytes()).isEqualTo(sent);
            stream.close();
        }

        quicpool.compliance.Conditions.await("no connection has a loss-detection thread of its own",
                Duration.ofSeconds(10), () -> named(threads.started(), "loss-detection-").isEmpty(),
                () -> Threads.describe(threads.started()));
        assertThat(named(threads.started(), "quicpool-kwik-loss-timer")).as("shared timer threads").hasSizeLessThanOrEqualTo(1);
        connections.forEach(c -> c.close(0, "done"));
    }

    private static List<Thread> named(List<Thread> threads, String prefix) {
        return threads.stream().filter(t -> t.getName().startsWith(prefix)).collect(java.util.stream.Collectors.toList());
    }

    /**
     * With a long keep-alive, Kwik's own PING thread (not a daemon) would outlive a closed
     * connection until its next ping, 15 s here, and hold up the JVM's exit that long.
     */
    @Test
    void noThreadThatHoldsUpTheJvmOutlivesAClosedConnection() throws Exception {
        Threads threads = Threads.snapshot();
        try (Loopback slow = new Loopback(Duration.ofSeconds(10))) {
            TransportListener listener = slow.listenEcho();
            TransportConnection connection = slow.connect(listener);
            TransportStream stream = connection.openStream(Duration.ofSeconds(5));
            stream.outputStream().write(7);
            stream.shutdownOutput();
            assertThat(stream.inputStream().read()).isEqualTo(7);
            stream.close();
            connection.close(0, "done");
        }

        List<Thread> left = threads.awaitStartedEnded(Duration.ofSeconds(5));
        List<Thread> nonDaemon = left.stream().filter(t -> !t.isDaemon()).collect(java.util.stream.Collectors.toList());
        assertThat(nonDaemon).as("non-daemon threads alive 5 s after close: %s", Threads.describe(nonDaemon))
                .isEmpty();
    }
}
