// SPDX-License-Identifier: Apache-2.0
package quicpool.core.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import quicpool.api.QuicPools;
import quicpool.api.StreamConn;
import quicpool.api.internal.BuilderConfigs;
import quicpool.compliance.Conditions;
import quicpool.testkit.LogCapture;

/** leakDetectionThreshold: one WARNING per stream held too long, with the stack of the get that took it. */
@Timeout(60)
class LeakDetectionTest {
    /** Held strongly: java.util.logging keeps only weak references to its loggers. */
    private static final Logger LEAK_LOG = Logger.getLogger("quicpool.core.leak");

    private final LogCapture capture = new LogCapture();
    private final Queue<LogRecord> records = capture.records();

    @BeforeEach
    void attach() {
        LEAK_LOG.addHandler(capture);
        LEAK_LOG.setUseParentHandlers(false); // the reports expected here need not reach the console
    }

    @AfterEach
    void detach() {
        LEAK_LOG.removeHandler(capture);
        LEAK_LOG.setUseParentHandlers(true);
    }

    private static boolean leakThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.isAlive() && t.getName().matches("quicpool-server-\\d+-leak-1"));
    }

    @Test
    void aStreamHeldPastTheThresholdIsReportedOnceWithTheStackOfTheGetThatTookIt() throws Exception {
        try (PoolPair p = new PoolPair(s -> s.maxCapacity(2).leakDetectionThreshold(Duration.ofMillis(100)),
                c -> c.capacity(2, 2))) {
            p.client.start();
            p.awaitFilled(2);
            StreamConn held = p.server.incomingGet(Duration.ofSeconds(5));
            Conditions.await("a leak reported", Duration.ofSeconds(10), () -> !records.isEmpty());
            // one check per take: nothing more comes however long the stream stays open
            Conditions.holdsFor("no second report", Duration.ofMillis(500), () -> records.size() == 1, () -> records);
            LogRecord r = records.peek();
            assertThat(r.getLevel()).isEqualTo(Level.WARNING);
            assertThat(r.getMessage()).contains("server pool " + p.server.name() + " on " + p.server.localAddress(), "stream " + held.id(),
                    "has been held for", "threshold 100 ms");
            assertThat(Arrays.stream(r.getThrown().getStackTrace()).map(StackTraceElement::getMethodName))
                    .contains("aStreamHeldPastTheThresholdIsReportedOnceWithTheStackOfTheGetThatTookIt");
            held.close();
            assertThat(leakThreadAlive()).isTrue();
        }
        Conditions.await("the leak timer thread ended by close()", Duration.ofSeconds(10), () -> !leakThreadAlive());
    }

    @Test
    void anAsyncGetThatWaitedIsReportedWithTheStackOfItsCallerNotOfThePoolThread() throws Exception {
        try (PoolPair p = new PoolPair(s -> s.maxCapacity(1).leakDetectionThreshold(Duration.ofMillis(100)),
                c -> c.capacity(1, 1))) {
            CompletableFuture<StreamConn> waiting = p.server.incomingGetAsync(Duration.ofSeconds(20));
            p.client.start(); // the stream arrives on a pool thread, which completes the get
            StreamConn held = waiting.get(20, TimeUnit.SECONDS);
            Conditions.await("a leak reported", Duration.ofSeconds(10), () -> !records.isEmpty());
            LogRecord r = records.peek();
            assertThat(r.getMessage()).contains("stream " + held.id());
            assertThat(Arrays.stream(r.getThrown().getStackTrace()).map(StackTraceElement::getMethodName))
                    .contains("anAsyncGetThatWaitedIsReportedWithTheStackOfItsCallerNotOfThePoolThread");
            held.close();
        }
    }

    @Test
    void aStreamClosedInTimeIsNotReported() throws Exception {
        try (PoolPair p = new PoolPair(s -> s.maxCapacity(4).leakDetectionThreshold(Duration.ofSeconds(1)),
                c -> c.capacity(4, 4))) {
            p.client.start();
            p.awaitFilled(4);
            for (int i = 0; i < 3; i++) {
                StreamConn s = p.server.incomingGet(Duration.ofSeconds(5));
                p.client.outgoingGet(s.id(), Duration.ofSeconds(5)).close();
                s.close();
            }
            // the checks of the three takes were due within the first second of this
            Conditions.holdsFor("no report", Duration.ofMillis(1500), records::isEmpty, () -> records);
        }
        Conditions.await("the leak timer thread ended by close()", Duration.ofSeconds(10), () -> !leakThreadAlive());
    }

    @Test
    void offByDefaultAndAtZeroAndANegativeThresholdIsRejectedNamingItsValue() throws Exception {
        InetSocketAddress somewhere = new InetSocketAddress("127.0.0.1", 1);
        assertThat(BuilderConfigs.client(QuicPools.client().serverAddress(somewhere)).leakDetectionThreshold())
                .isZero();
        assertThatThrownBy(() -> BuilderConfigs.client(QuicPools.client().serverAddress(somewhere)
                .leakDetectionThreshold(Duration.ofMillis(-1))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("leakDetectionThreshold must not be negative, was PT-0.001S");
        assertThatThrownBy(() -> BuilderConfigs.server(QuicPools.server()
                .leakDetectionThreshold(Duration.ofSeconds(-2))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("leakDetectionThreshold must not be negative, was PT-2S");
        try (PoolPair p = new PoolPair(s -> s.maxCapacity(1), c -> c.capacity(1, 1).leakDetectionThreshold(Duration.ZERO))) {
            p.client.start();
            p.awaitFilled(1);
            try (StreamConn s = p.client.incomingGet(Duration.ofSeconds(5))) {
                assertThat(Thread.getAllStackTraces().keySet().stream().map(Thread::getName))
                        .doesNotContain("quicpool-" + p.client.name() + "-leak-1");
            }
        }
        assertThat(records).isEmpty();
    }
}
