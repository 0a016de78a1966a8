// SPDX-License-Identifier: Apache-2.0
package quicpool.core.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import quicpool.api.StreamConn;
import quicpool.core.id.StreamIds;
import quicpool.core.stream.PooledStream;

/**
 * The registry's counts under concurrent registrations, takes, reservations and evictions: the
 * server's bound never exceeded, the counts exact once quiescent, and no waiting take missed by a
 * registration racing its listing.
 */
@Timeout(60)
class StreamRegistryCountsTest {
    private static final long WAIT = TimeUnit.SECONDS.toNanos(20);

    private final ExecutorService exec = Executors.newCachedThreadPool();
    private final Stubs.Conn conn = new Stubs.Conn();

    @AfterEach
    void stop() {
        exec.shutdownNow();
    }

    /**
     * {@code held} never counts more than the reserved and idle streams: it rises after a reserve
     * succeeded and falls before a take or a give-back. So it may exceed the bound only if the
     * registry let reserved plus idle streams exceed it.
     */
    @Test
    void reservedPlusIdleNeverExceedsTheBoundAndTheCountsAreExactOnceQuiescent() throws Exception {
        int max = 6;
        int reservers = 3;
        int perReserver = 20_000;
        StreamRegistry r = new StreamRegistry(max);
        AtomicInteger held = new AtomicInteger();
        AtomicInteger mostHeld = new AtomicInteger();
        AtomicInteger registered = new AtomicInteger();
        AtomicInteger taken = new AtomicInteger();
        CountDownLatch reservingDone = new CountDownLatch(reservers);
        List<Future<?>> all = new ArrayList<>();
        for (int t = 0; t < reservers; t++) {
            int base = (t + 1) << 24;
            all.add(exec.submit(() -> {
                try {
                    for (int i = 0; i < perReserver; i++) {
                        if (!r.reserve(max)) {
                            Thread.yield();
                            continue;
                        }
                        mostHeld.accumulateAndGet(held.incrementAndGet(), Math::max);
                        if (i % 5 == 0) {
                            held.decrementAndGet();
                            r.unreserve(); // a handshake that failed
                            continue;
                        }
                        assertThat(r.registerReserved(Stubs.pooled(StreamIds.toText(base + i), conn))).isTrue();
                        registered.incrementAndGet();
                    }
                } finally {
                    reservingDone.countDown();
                }
                return null;
            }));
        }
        for (int t = 0; t < 2; t++) {
            boolean byId = t == 0;
            all.add(exec.submit(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (reservingDone.getCount() > 0) {
                    held.decrementAndGet();
                    int id = ((random.nextInt(reservers) + 1) << 24) + random.nextInt(perReserver);
                    PooledStream s = byId ? r.take(StreamIds.toText(id)) : r.takeAny();
                    if (s == null) {
                        held.incrementAndGet();
                    } else {
                        taken.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : all) {
            f.get(40, TimeUnit.SECONDS);
        }
        assertThat(mostHeld.get()).as("reserved and idle streams at once").isLessThanOrEqualTo(max);
        assertThat(r.reserved()).isZero();
        assertThat(r.active()).isEqualTo(registered.get() - taken.get());
        assertThat(r.registeredCount()).isEqualTo(registered.get());
        assertThat(r.takenCount()).isEqualTo(taken.get());
        int left = 0;
        while (r.takeAny() != null) {
            left++;
        }
        assertThat(taken.get() + left).isEqualTo(registered.get());
        assertThat(r.active()).isZero();
        assertThat(r.reserve(max)).isTrue();
    }

    /** Streams taken, evicted by their peer's abort (idle or not) and left idle add up, once quiescent. */
    @Test
    void registeredIsIdlePlusTakenPlusEvictedOnceQuiescent() throws Exception {
        StreamRegistry r = new StreamRegistry(1024);
        int producers = 2;
        int perProducer = 20_000;
        ConcurrentLinkedQueue<Stubs.Stream> toAbort = new ConcurrentLinkedQueue<>();
        AtomicInteger registered = new AtomicInteger();
        AtomicInteger taken = new AtomicInteger();
        AtomicInteger closedByUser = new AtomicInteger();
        CountDownLatch producing = new CountDownLatch(producers);
        List<Future<?>> all = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int base = (p + 1) << 24;
            all.add(exec.submit(() -> {
                try {
                    for (int i = 0; i < perProducer; i++) {
                        while (r.active() > 512) {
                            Thread.yield();
                        }
                        Stubs.Stream stream = new Stubs.Stream();
                        PooledStream s = Stubs.pooled(StreamIds.toText(base + i), stream, conn);
                        if (i % 3 == 0) {
                            toAbort.add(stream);
                        }
                        if (i % 11 == 0) {
                            stream.abortByPeer(); // before its registration: evicted by it
                        }
                        assertThat(r.register(s)).isTrue();
                        registered.incrementAndGet();
                    }
                } finally {
                    producing.countDown();
                }
                return null;
            }));
        }
        all.add(exec.submit(() -> {
            while (producing.getCount() > 0 || !toAbort.isEmpty()) {
                Stubs.Stream s = toAbort.poll();
                if (s != null) {
                    s.abortByPeer(); // idle: evicted; taken: the taker's
                } else {
                    Thread.yield();
                }
            }
            return null;
        }));
        all.add(exec.submit(() -> {
            while (producing.getCount() > 0) {
                PooledStream s = r.takeAny();
                if (s != null) {
                    taken.incrementAndGet();
                    if (taken.get() % 2 == 0) {
                        s.close();
                        closedByUser.incrementAndGet();
                    }
                }
            }
            return null;
        }));
        for (Future<?> f : all) {
            f.get(40, TimeUnit.SECONDS);
        }
        assertThat(r.registeredCount()).isEqualTo(registered.get());
        assertThat(r.takenCount()).isEqualTo(taken.get());
        assertThat(r.inUse()).isEqualTo(taken.get() - closedByUser.get());
        assertThat((long) r.active()).isEqualTo(r.registeredCount() - r.takenCount() - r.evictedCount());
        assertThat(r.evictedCount()).as("evicted streams").isPositive();
        int left = 0;
        while (r.takeAny() != null) {
            left++;
        }
        assertThat(left).isEqualTo(registered.get() - taken.get() - r.evictedCount());
        assertThat(r.active()).isZero();
    }

    /**
     * The registrar registers each ID just as the waiter reaches it, so the registration races the
     * take's listing as a waiter. A registration that missed a waiter that missed the stream would
     * leave the take parked until its 20 s run out.
     */
    @Test
    void aRegistrationRacingABlockingTakeByIdNeverMissesIt() throws Exception {
        StreamRegistry r = new StreamRegistry(16);
        raceRegistrations(r, i -> r.take(StreamIds.toText(i), WAIT));
    }

    @Test
    void aRegistrationRacingABlockingTakeOfAnyStreamNeverMissesIt() throws Exception {
        StreamRegistry r = new StreamRegistry(16);
        raceRegistrations(r, i -> r.takeAny(WAIT));
    }

    @Test
    void aRegistrationRacingAnAsyncTakeNeverMissesIt() throws Exception {
        StreamRegistry r = new StreamRegistry(16);
        AtomicLong delivered = new AtomicLong();
        raceRegistrations(r, i -> {
            String id = StreamIds.toText(i);
            boolean any = i % 2 == 0;
            PooledStream s = any ? r.takeAny() : r.take(id);
            if (s == null) {
                Take w = new Take(r, any ? null : id, delivered);
                if (any) {
                    r.waitAny(w);
                } else {
                    r.waitFor(w);
                }
                s = (PooledStream) w.get(20, TimeUnit.SECONDS);
            }
            return s;
        });
        assertThat(delivered.get()).as("takes served by a registration").isPositive();
    }

    /** One take of the race: of stream {@code i} (by ID or as the only idle one). */
    private interface RoundTake {
        PooledStream take(int i) throws Exception;
    }

    /**
     * A waiter takes streams 1, 2, ... in turn with {@code take}; stream {@code i} is registered
     * just as the waiter reaches it, so each registration races the take's listing as a waiter. A
     * registration that missed a waiter that missed the stream would leave the take waiting until
     * its 20 s run out. The streams are made beforehand, so that nothing delays the race.
     */
    private void raceRegistrations(StreamRegistry r, RoundTake take) throws Exception {
        int rounds = 20_000;
        AtomicInteger reached = new AtomicInteger();
        Future<?> waiter = exec.submit(() -> {
            for (int i = 1; i <= rounds; i++) {
                reached.set(i);
                assertThat(take.take(i)).as("stream %d", i).isNotNull()
                        .extracting(StreamConn::id).isEqualTo(StreamIds.toText(i));
            }
            return null;
        });
        PooledStream[] streams = new PooledStream[rounds + 1];
        for (int i = 1; i <= rounds; i++) {
            streams[i] = Stubs.pooled(StreamIds.toText(i), conn);
        }
        for (int i = 1; i <= rounds && !waiter.isDone(); i++) {
            while (reached.get() < i && !waiter.isDone()) {
                Thread.onSpinWait();
            }
            assertThat(r.register(streams[i])).isTrue();
        }
        waiter.get(40, TimeUnit.SECONDS);
        assertThat(r.active()).isZero();
        assertThat(r.waiters()).isZero();
    }

    /**
     * The peer abandons a stream while the registry has taken it for an async take that then turns
     * out to have ended: the stream goes back, and is evicted rather than left idle.
     */
    @Test
    void aStreamAbandonedByItsPeerWhileTakenForAnEndedAsyncTakeIsEvictedWhenItGoesBack() {
        StreamRegistry r = new StreamRegistry(8);
        Stubs.Stream stream = new Stubs.Stream();
        AsyncTake ended = new AsyncTake(r, null) {
            @Override
            public boolean complete(StreamConn value) {
                stream.abortByPeer(); // while the registry holds the stream: nothing in the table to evict
                return false; // completed by its holder meanwhile
            }

            @Override
            protected void delivered(PooledStream s) {
            }

            @Override
            protected void cancelled() {
            }
        };
        r.waitAny(ended);
        assertThat(r.register(Stubs.pooled("00000001", stream, conn))).isTrue();
        assertThat(stream.closed).isTrue();
        assertThat(r.active()).isZero();
        assertThat(r.evictedCount()).isEqualTo(1);
        assertThat(r.takenCount()).isZero();
        assertThat(r.registeredCount()).isEqualTo(1);
        assertThat(r.takeAny()).isNull();
    }

    private static final class Take extends AsyncTake {
        private final AtomicLong delivered;

        Take(StreamRegistry r, String id, AtomicLong delivered) {
            super(r, id);
            this.delivered = delivered;
        }

        @Override
        protected void delivered(PooledStream s) {
            delivered.incrementAndGet();
        }

        @Override
        protected void cancelled() {
        }
    }
}
