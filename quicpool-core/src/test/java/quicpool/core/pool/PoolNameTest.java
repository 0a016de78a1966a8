// SPDX-License-Identifier: Apache-2.0
package quicpool.core.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import quicpool.api.PoolTimeoutException;
import quicpool.api.StreamConn;
import quicpool.compliance.Conditions;
import quicpool.testkit.LogCapture;

/** A pool's name: numbered by default, and found in its thread names, timeout messages and log lines. */
@Timeout(60)
class PoolNameTest {
    /** Held strongly: java.util.logging keeps only weak references to its loggers. */
    private static final Logger CORE_LOG = Logger.getLogger("quicpool.core");

    private static Set<String> threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith(prefix)).collect(Collectors.toSet());
    }

    @Test
    void unnamedPoolsAreNumberedPerRoleInBuildOrderAndANamedPoolKeepsItsName() {
        try (PoolPair first = new PoolPair(s -> s, c -> c);
             PoolPair second = new PoolPair(s -> s, c -> c);
             PoolPair named = new PoolPair(s -> s.name("edge"), c -> c.name("tunnel"))) {
            assertThat(first.client.name()).matches("client-\\d+");
            assertThat(first.server.name()).matches("server-\\d+");
            assertThat(number(second.client.name())).isEqualTo(number(first.client.name()) + 1);
            assertThat(number(second.server.name())).isEqualTo(number(first.server.name()) + 1);
            assertThat(named.client.name()).isEqualTo("tunnel");
            assertThat(named.server.name()).isEqualTo("edge");
        }
    }

    private static int number(String name) {
        return Integer.parseInt(name.substring(name.indexOf('-') + 1));
    }

    @Test
    void theNameBeginsEveryPoolThreadNameAndTheirCloseEndsThem() throws Exception {
        try (PoolPair p = new PoolPair(s -> s.name("edge").maxCapacity(2), c -> c.name("tunnel").capacity(2, 2))) {
            p.client.start();
            p.awaitFilled(2);
            CompletableFuture<StreamConn> waiting = p.server.outgoingGetAsync("0badf00d", Duration.ofSeconds(30));
            Conditions.await("the pools' threads carry their names", Duration.ofSeconds(10),
                    () -> threadsNamed("quicpool-tunnel-").containsAll(Set.of("quicpool-tunnel-refill-1", "quicpool-tunnel-worker-1"))
                            && threadsNamed("quicpool-edge-").containsAll(Set.of("quicpool-edge-handshake-1", "quicpool-edge-async-timeout-1")),
                    () -> threadsNamed("quicpool-"));
            waiting.cancel(false);
        }
        Conditions.await("close() ended every named thread", Duration.ofSeconds(10),
                () -> threadsNamed("quicpool-tunnel-").isEmpty() && threadsNamed("quicpool-edge-").isEmpty(),
                () -> threadsNamed("quicpool-"));
    }

    @Test
    void aTimeoutMessageNamesThePool() {
        try (PoolPair p = PoolPair.started(1, 1)) {
            p.awaitFilled(1);
            CompletableFuture<StreamConn> byId = p.client.outgoingGetAsync("0000beef", Duration.ofMillis(20));
            assertThatThrownBy(() -> byId.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(PoolTimeoutException.class)
                    .hasMessageContaining("(client pool " + p.client.name() + " over ");
        }
    }

    @Test
    void logLinesNameThePool() {
        LogCapture capture = new LogCapture();
        Queue<LogRecord> records = capture.records();
        CORE_LOG.addHandler(capture);
        try (PoolPair p = new PoolPair(s -> s, c -> c.name("lonely").addressResolver(() -> {
            throw new IllegalStateException("no server in this test");
        }))) {
            p.client.start();
            Conditions.await("the first failed dial logged", Duration.ofSeconds(10),
                    () -> records.stream().anyMatch(r -> r.getMessage().startsWith("quicpool lonely: shard 0 cannot connect")),
                    () -> records.stream().map(LogRecord::getMessage).collect(Collectors.toList()));
        } finally {
            CORE_LOG.removeHandler(capture);
        }
    }
}
