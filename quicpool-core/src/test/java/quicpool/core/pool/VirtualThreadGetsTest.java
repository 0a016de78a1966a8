// SPDX-License-Identifier: Apache-2.0
package quicpool.core.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import jdk.jfr.consumer.RecordedEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import quicpool.api.StreamConn;
import quicpool.compliance.Conditions;

/**
 * Gets on virtual threads, against pools whose own threads are virtual too: none of them may pin
 * its carrier in quicpool's code (JFR {@code jdk.VirtualThreadPinned}, threshold 0). Runs on JDK
 * 21+ only (see {@link RequiresJdk21}).
 */
@RequiresJdk21
@Timeout(120)
class VirtualThreadGetsTest {
    /** Pairs of gets: a server's {@code incomingGet} and the client's {@code outgoingGet} of its ID. */
    private static final int PAIRS = 5_000;
    private static final Duration GET_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void tenThousandConcurrentGetsOnVirtualThreadsAllSucceedAndNoneOfOurFramesPins() throws Exception {
        ThreadFactory virtual = VirtualThreads.factory();
        ConcurrentLinkedQueue<Thread> poolThreads = new ConcurrentLinkedQueue<>();
        ThreadFactory poolFactory = r -> {
            Thread t = virtual.newThread(r);
            poolThreads.add(t);
            return t;
        };
        try (PoolPair p = new PoolPair(s -> s.maxCapacity(2048).threadFactory(poolFactory),
                c -> c.capacity(1024, 2048).threadFactory(poolFactory))) {
            p.client.start();
            p.awaitFilled(1024);
            // one pair on this thread first: classes initialised now cannot pin a virtual thread later
            StreamConn first = p.server.incomingGet(GET_TIMEOUT);
            p.client.outgoingGet(first.id(), GET_TIMEOUT).close();
            first.close();

            // Counted, not collected as a set of IDs: an ID is unique among a server's open streams
            // only, so one freed by a closed pair may come back, and 5,000 random 32-bit IDs repeat
            // one in a few hundred runs.
            AtomicInteger serverGets = new AtomicInteger();
            AtomicInteger clientGets = new AtomicInteger();
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            // a server end is closed after its client end's get: closing it first may evict the client end
            LinkedBlockingQueue<StreamConn> serverEnds = new LinkedBlockingQueue<>();
            List<RecordedEvent> pinned;
            try (PinnedEvents recording = new PinnedEvents(dir.resolve("pinned.jfr"))) {
                CountDownLatch go = new CountDownLatch(1);
                List<Thread> getters = new ArrayList<>(2 * PAIRS);
                for (int i = 0; i < PAIRS; i++) {
                    getters.add(virtual.newThread(() -> {
                        try {
                            go.await();
                            StreamConn s = p.server.incomingGet(GET_TIMEOUT);
                            serverGets.incrementAndGet();
                            serverEnds.add(s);
                        } catch (Throwable e) {
                            failures.add(e);
                        }
                    }));
                    getters.add(virtual.newThread(() -> {
                        try {
                            go.await();
                            StreamConn s = serverEnds.poll(GET_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                            if (s == null) {
                                throw new AssertionError("no server get handed over a stream within " + GET_TIMEOUT);
                            }
                            try (s; StreamConn c = p.client.outgoingGet(s.id(), GET_TIMEOUT)) {
                                if (!c.id().equals(s.id())) {
                                    throw new AssertionError("outgoingGet(" + s.id() + ") handed over stream " + c.id());
                                }
                                clientGets.incrementAndGet();
                            }
                        } catch (Throwable e) {
                            failures.add(e);
                        }
                    }));
                }
                getters.forEach(Thread::start);
                long start = System.nanoTime();
                go.countDown();
                long deadline = start + TimeUnit.SECONDS.toNanos(90);
                for (Thread t : getters) {
                    t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                    assertThat(t.isAlive()).as("a getter still running after 90 s; failures so far: %s", failures)
                            .isFalse();
                }
                System.out.println("VirtualThreadGetsTest: " + 2 * PAIRS + " gets on virtual threads in "
                        + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
                Thread closer = virtual.newThread(p::close); // close() waits for the pool threads: no pin either
                closer.start();
                closer.join(TimeUnit.SECONDS.toMillis(30));
                assertThat(closer.isAlive()).as("close() still running after 30 s").isFalse();
                pinned = recording.stopAndFindOurs();
            }

            assertThat(failures).as("gets that failed").isEmpty();
            assertThat(serverGets).hasValue(PAIRS);
            assertThat(clientGets).hasValue(PAIRS);
            assertThat(pinned).as("pinned virtual threads in quicpool's code:%n%s",
                    pinned.stream().map(PinnedEvents::describe).collect(Collectors.joining("\n"))).isEmpty();
            assertThat(poolThreads).as("threads the pools made").isNotEmpty();
            for (Thread t : poolThreads) {
                assertThat(VirtualThreads.isVirtual(t)).as("pool thread %s is virtual", t).isTrue();
            }
            Conditions.await("every pool thread ended by close()", Duration.ofSeconds(10),
                    () -> poolThreads.stream().noneMatch(Thread::isAlive));
        }
    }

    /** Parks in its static initializer: a virtual thread initialising it is pinned meanwhile. */
    static final class ParksWhileInitialised {
        static final long PARKED = park();

        private static long park() {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            return 1;
        }
    }

    @Test
    void theRecordingSeesAVirtualThreadPinnedInOurCode() throws Exception {
        Thread t;
        List<RecordedEvent> pinned;
        try (PinnedEvents recording = new PinnedEvents(dir.resolve("control.jfr"))) {
            t = VirtualThreads.factory().newThread(() -> assertThat(ParksWhileInitialised.PARKED).isEqualTo(1));
            t.start();
            t.join(TimeUnit.SECONDS.toMillis(10));
            pinned = recording.stopAndFindOurs();
        }
        assertThat(t.isAlive()).isFalse();
        assertThat(pinned).as("the pin of ParksWhileInitialised's initializer").isNotEmpty();
    }
}
