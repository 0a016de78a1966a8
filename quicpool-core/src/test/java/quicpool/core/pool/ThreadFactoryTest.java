// SPDX-License-Identifier: Apache-2.0
package quicpool.core.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import quicpool.api.StreamConn;
import quicpool.compliance.Conditions;

/** The builders' threadFactory: it makes every thread a pool starts, and close() ends them. */
@Timeout(60)
class ThreadFactoryTest {
    private static final Duration LEAK_CHECK = Duration.ofMinutes(5);
    /** An ID no stream is expected to have: async gets of it wait, which starts the timeout thread. */
    private static final String ABSENT = "00000000";

    /** Names its threads {@code app-N} and remembers each one. */
    private static final class CountingFactory implements ThreadFactory {
        final ConcurrentLinkedQueue<Thread> made = new ConcurrentLinkedQueue<>();
        private final AtomicInteger n = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "app-" + n.incrementAndGet());
            t.setDaemon(true);
            made.add(t);
            return t;
        }
    }

    /** Live threads with the built-in names of a pool's threads. */
    private static Set<Thread> builtInPoolThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && (t.getName().startsWith("quicpool-client-")
                        || t.getName().startsWith("quicpool-server-")))
                .collect(Collectors.toSet());
    }

    /**
     * Makes both pools start every kind of thread they have: the client's refill thread and
     * workers, the server's handshake workers, and on both ends the leak-detection thread (a
     * take) and the async-timeout thread (an async get that waits). Returns the waiting gets.
     */
    private static List<CompletableFuture<StreamConn>> startEveryKindOfThread(PoolPair p) throws Exception {
        p.client.start();
        p.awaitFilled(2);
        StreamConn s = p.server.incomingGet(Duration.ofSeconds(10));
        p.client.outgoingGet(s.id(), Duration.ofSeconds(10)).close();
        s.close();
        return List.of(p.client.outgoingGetAsync(ABSENT, Duration.ofSeconds(30)),
                p.server.outgoingGetAsync(ABSENT, Duration.ofSeconds(30)));
    }

    @Test
    void withoutAFactoryThePoolThreadsAreDaemonsWithTheDocumentedNames() throws Exception {
        Set<Thread> before = builtInPoolThreads();
        Set<Thread> ours;
        try (PoolPair p = new PoolPair(s -> s.maxCapacity(4).leakDetectionThreshold(LEAK_CHECK),
                c -> c.capacity(2, 4).leakDetectionThreshold(LEAK_CHECK))) {
            List<CompletableFuture<StreamConn>> waiting = startEveryKindOfThread(p);
            ours = builtInPoolThreads();
            ours.removeAll(before);
            waiting.forEach(f -> f.cancel(false));
        }
        assertThat(ours).allMatch(Thread::isDaemon, "daemon");
        assertThat(ours.stream().map(t -> t.getName().replaceAll("^quicpool-(client|server)-\\d+-", "quicpool-$1-")
                        .replaceAll("-\\d+$", "")).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("quicpool-client-refill", "quicpool-client-worker",
                        "quicpool-client-async-timeout", "quicpool-client-leak", "quicpool-server-handshake",
                        "quicpool-server-async-timeout", "quicpool-server-leak");
        Conditions.await("every pool thread ended by close()", Duration.ofSeconds(10),
                () -> ours.stream().noneMatch(Thread::isAlive));
    }

    @Test
    void aFactoryMakesEveryPoolThreadAndCloseEndsThemAll() throws Exception {
        CountingFactory factory = new CountingFactory();
        Set<Thread> before = builtInPoolThreads();
        try (PoolPair p = new PoolPair(
                s -> s.maxCapacity(4).leakDetectionThreshold(LEAK_CHECK).threadFactory(factory),
                c -> c.capacity(2, 4).leakDetectionThreshold(LEAK_CHECK).threadFactory(factory))) {
            List<CompletableFuture<StreamConn>> waiting = startEveryKindOfThread(p);
            Set<Thread> builtIn = builtInPoolThreads();
            builtIn.removeAll(before);
            assertThat(builtIn).as("threads the pools made without the factory").isEmpty();
            // refill, a worker, async timeout and leak on the client; a handshake worker, async timeout and leak on the server
            assertThat(factory.made).hasSizeGreaterThanOrEqualTo(7);
            waiting.forEach(f -> f.cancel(false));
        }
        Conditions.await("every thread the factory made ended by close()", Duration.ofSeconds(10),
                () -> factory.made.stream().noneMatch(Thread::isAlive),
                () -> factory.made.stream().filter(Thread::isAlive).map(Thread::getName).collect(Collectors.toList()));
    }

    @Test
    void aFactoryReturningNullFailsWhatNeededTheThreadSayingSo() throws Exception {
        ThreadFactory broken = r -> null;
        try (PoolPair p = new PoolPair(s -> s.threadFactory(broken), c -> c.threadFactory(broken))) {
            assertThatThrownBy(p.client::start)
                    .isInstanceOf(RejectedExecutionException.class)
                    .hasMessageMatching("quicpool could not make a quicpool-client-\\d+-refill thread:"
                            + " threadFactory returned null; it must return a new, unstarted thread");
            CompletableFuture<StreamConn> waiting = p.server.incomingGetAsync(Duration.ofSeconds(30));
            assertThatThrownBy(() -> waiting.get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(RejectedExecutionException.class)
                    .hasMessageMatching(".*quicpool-server-\\d+-async-timeout thread: threadFactory returned null.*");
        }
    }
}
