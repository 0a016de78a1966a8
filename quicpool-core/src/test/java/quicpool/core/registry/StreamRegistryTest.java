// SPDX-License-Identifier: Apache-2.0
package quicpool.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import quicpool.api.PoolClosedException;
import quicpool.core.id.StreamIds;
import quicpool.core.stream.PooledStream;

@Timeout(60)
class StreamRegistryTest {
    private final ExecutorService exec = Executors.newCachedThreadPool();
    private final Stubs.Conn conn = new Stubs.Conn();

    @AfterEach
    void stop() {
        exec.shutdownNow();
    }

    @Test
    void takesByIdAndInArrivalOrderWithoutCrossingOver() {
        StreamRegistry r = new StreamRegistry(8);
        PooledStream a = Stubs.pooled("0000000a", conn);
        PooledStream b = Stubs.pooled("0000000b", conn);
        PooledStream c = Stubs.pooled("0000000c", conn);
        assertThat(r.register(a) && r.register(b) && r.register(c)).isTrue();
        assertThat(r.take("0000000b")).isSameAs(b); // the original removed some *other* entry here
        assertThat(r.active()).isEqualTo(2);
        assertThat(r.takeAny()).isSameAs(a);
        assertThat(r.takeAny()).isSameAs(c);
        assertThat(r.takeAny()).isNull();
        assertThat(r.active()).isZero();
    }

    @Test
    void refusesADuplicateIdWhileTheFirstIsIdle() {
        StreamRegistry r = new StreamRegistry(8);
        assertThat(r.register(Stubs.pooled("00000001", conn))).isTrue();
        assertThat(r.register(Stubs.pooled("00000001", conn))).isFalse();
        assertThat(r.active()).isEqualTo(1);
    }

    @Test
    void refusesARegistrationOnceItsTableIsFullAndLeavesTheStreamToItsCaller() {
        StreamRegistry r = new StreamRegistry(4); // 16 slots, the least a registry gets
        for (int i = 1; i <= 16; i++) {
            assertThat(r.register(Stubs.pooled(StreamIds.toText(i), conn))).isTrue();
        }
        Stubs.Stream extra = new Stubs.Stream();
        assertThat(r.register(Stubs.pooled("00000011", extra, conn))).isFalse();
        assertThat(extra.closed).as("still the caller's to close").isFalse();
        assertThat(r.active()).isEqualTo(16);
        assertThat(r.take("00000005")).isNotNull();
        assertThat(r.register(Stubs.pooled("00000011", extra, conn))).isTrue();
        assertThat(r.take("00000011")).isNotNull();
    }

    @Test
    void aTakeByAMalformedIdIsRefusedNamingIt() {
        StreamRegistry r = new StreamRegistry(4);
        assertThatThrownBy(() -> r.take("not-an-id"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"not-an-id\"");
        assertThatThrownBy(() -> new StreamRegistry(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was 0");
    }

    @Test
    void evictsAnIdleStreamThePeerAbandonsBeforeOrAfterItsRegistration() {
        StreamRegistry r = new StreamRegistry(8);
        Stubs.Stream early = new Stubs.Stream();
        Stubs.Stream late = new Stubs.Stream();
        Stubs.Stream kept = new Stubs.Stream();
        early.abortByPeer();
        assertThat(r.register(Stubs.pooled("0000000e", early, conn))).isTrue();
        assertThat(r.register(Stubs.pooled("0000000f", late, conn))).isTrue();
        assertThat(r.register(Stubs.pooled("00000010", kept, conn))).isTrue();
        late.abortByPeer();

        assertThat(r.active()).isEqualTo(1);
        assertThat(r.evictedCount()).isEqualTo(2);
        assertThat(early.closed).isTrue();
        assertThat(late.closed).isTrue();
        assertThat(r.take("00000010")).isNotNull();
        kept.abortByPeer(); // taken: the caller's now, not the registry's to evict
        assertThat(kept.closed).isFalse();
        assertThat(r.evictedCount()).isEqualTo(2);
    }

    @Test
    void neverHandsOutAStreamOfADeadConnection() {
        StreamRegistry r = new StreamRegistry(8);
        PooledStream dead = Stubs.pooled("00000001", conn);
        Stubs.Conn live = new Stubs.Conn();
        PooledStream ok = Stubs.pooled("00000002", live);
        r.register(dead);
        r.register(ok);
        conn.open.set(false);
        assertThat(r.takeAny()).isSameAs(ok);
        assertThat(r.take("00000001")).isNull();
        assertThat(dead.isOpen()).isFalse();
        assertThat(r.evictedCount()).isEqualTo(1);
        assertThat(r.active()).isZero();
    }

    @Test
    void takeByIdThatArrivesLaterWakesWithinMillisecondsOfArrival() throws Exception {
        StreamRegistry r = new StreamRegistry(64);
        long[] lags = new long[21];
        for (int i = 0; i < lags.length; i++) {
            String id = StreamIds.toText(i + 1);
            CountDownLatch waiting = new CountDownLatch(1);
            Future<Long> returned = exec.submit(() -> {
                waiting.countDown();
                PooledStream s = r.take(id, TimeUnit.SECONDS.toNanos(10));
                assertThat(s).isNotNull();
                return System.nanoTime();
            });
            waiting.await();
            // let the waiter park: wait until its thread is registered as an ID waiter
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!isWaiting(r, id) && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            long arrival = System.nanoTime();
            r.register(Stubs.pooled(id, conn));
            lags[i] = returned.get(10, TimeUnit.SECONDS) - arrival;
        }
        Arrays.sort(lags);
        long medianMicros = lags[lags.length / 2] / 1000;
        assertThat(medianMicros).as("median arrival-to-return in microseconds").isLessThan(5_000);
    }

    private static boolean isWaiting(StreamRegistry r, String id) {
        return r.hasIdWaiter(id);
    }

    @Test
    void takeAnyParksUntilAStreamArrivesAndWakesOneWaiterPerStream() throws Exception {
        StreamRegistry r = new StreamRegistry(64);
        List<Future<PooledStream>> waiters = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            waiters.add(exec.submit(() -> r.takeAny(TimeUnit.SECONDS.toNanos(10))));
        }
        for (int i = 0; i < 4; i++) {
            r.register(Stubs.pooled(StreamIds.toText(100 + i), conn));
        }
        Set<String> got = new HashSet<>();
        for (Future<PooledStream> w : waiters) {
            got.add(w.get(10, TimeUnit.SECONDS).id());
        }
        assertThat(got).hasSize(4);
        assertThat(r.active()).isZero();
    }

    @Test
    void closeWakesWaitersOfBothKinds() throws Exception {
        StreamRegistry r = new StreamRegistry(8);
        Future<PooledStream> any = exec.submit(() -> r.takeAny(TimeUnit.SECONDS.toNanos(30)));
        Future<PooledStream> byId = exec.submit(() -> r.take("12345678", TimeUnit.SECONDS.toNanos(30)));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!r.hasIdWaiter("12345678") && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        r.close();
        assertThatThrownBy(() -> any.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(PoolClosedException.class);
        assertThatThrownBy(() -> byId.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(PoolClosedException.class);
        assertThat(r.register(Stubs.pooled("00000001", conn))).isFalse();
    }

    @Test
    void activeIsExactAfterEightThreadsTakeWhileOthersRegister() throws Exception {
        StreamRegistry r = new StreamRegistry(256);
        AtomicInteger nextId = new AtomicInteger(1);
        AtomicInteger takenCount = new AtomicInteger();
        int perProducer = 20_000;
        List<Future<?>> all = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            all.add(exec.submit(() -> {
                for (int i = 0; i < perProducer; i++) {
                    while (r.active() > 200) {
                        Thread.onSpinWait();
                    }
                    assertThat(r.register(Stubs.pooled(StreamIds.toText(nextId.getAndIncrement()), conn))).isTrue();
                }
            }));
        }
        CountDownLatch producersDone = new CountDownLatch(1);
        for (int t = 0; t < 8; t++) {
            boolean byId = t % 2 == 0;
            all.add(exec.submit(() -> {
                while (producersDone.getCount() > 0) {
                    PooledStream s = byId
                            ? r.take(StreamIds.toText(ThreadLocalRandom.current().nextInt(1, nextId.get() + 1)))
                            : r.takeAny();
                    if (s != null) {
                        takenCount.incrementAndGet();
                    }
                }
            }));
        }
        for (int i = 0; i < 2; i++) {
            all.get(i).get(30, TimeUnit.SECONDS);
        }
        producersDone.countDown();
        for (Future<?> f : all) {
            f.get(30, TimeUnit.SECONDS);
        }
        int remaining = 0;
        while (r.takeAny() != null) {
            remaining++;
        }
        assertThat(takenCount.get() + remaining).isEqualTo(2 * perProducer);
        assertThat(r.active()).isZero();
        assertThat(r.takenCount()).isEqualTo(2L * perProducer);
    }

    @Test
    void takesByIdOnlyNeverFillTheArrivalQueue() {
        StreamRegistry r = new StreamRegistry(4);
        for (int i = 1; i <= 10_000; i++) {
            String id = StreamIds.toText(i);
            assertThat(r.register(Stubs.pooled(id, conn))).isTrue();
            assertThat(r.take(id)).isNotNull();
        }
        PooledStream last = Stubs.pooled("ffffffff", conn);
        r.register(last);
        assertThat(r.takeAny()).isSameAs(last);
    }

    @Test
    void takesByIdKeepWaitingStreamsInArrivalOrder() {
        StreamRegistry r = new StreamRegistry(4); // arrival queue of 64: the takes by ID below fill it many times
        PooledStream first = Stubs.pooled("0000000a", conn);
        PooledStream second = Stubs.pooled("0000000b", conn);
        r.register(first);
        r.register(second);
        for (int i = 1; i <= 1_000; i++) {
            String id = StreamIds.toText(0x1000 + i);
            assertThat(r.register(Stubs.pooled(id, conn))).isTrue();
            assertThat(r.take(id)).isNotNull();
        }
        PooledStream third = Stubs.pooled("0000000c", conn);
        r.register(third);
        assertThat(r.takeAny()).isSameAs(first);
        assertThat(r.takeAny()).isSameAs(second);
        assertThat(r.takeAny()).isSameAs(third);
        assertThat(r.takeAny()).isNull();
        assertThat(r.active()).isZero();
    }

    @Test
    void reservationsCountAgainstTheBoundUntilRegisteredOrGivenBack() {
        StreamRegistry r = new StreamRegistry(8);
        assertThat(r.reserve(2)).isTrue();
        assertThat(r.reserve(2)).isTrue();
        assertThat(r.reserve(2)).as("two reserved of two").isFalse();
        assertThat(r.registerReserved(Stubs.pooled("0000000a", conn))).isTrue();
        assertThat(r.active()).isEqualTo(1);
        assertThat(r.reserved()).isEqualTo(1);
        assertThat(r.reserve(2)).as("one idle and one reserved of two").isFalse();
        r.unreserve();
        assertThat(r.reserve(2)).isTrue();
        assertThat(r.registerReserved(Stubs.pooled("0000000a", conn))).as("duplicate ID").isFalse();
        assertThat(r.reserved()).as("a refused registration gives its reservation back").isZero();
        assertThat(r.active()).isEqualTo(1);
        assertThat(r.takeAny()).isNotNull();
        assertThat(r.reserve(1)).isTrue();
        r.close();
        assertThat(r.registerReserved(Stubs.pooled("0000000b", conn))).isFalse();
        assertThat(r.reserved()).isZero();
        assertThat(r.active()).isZero();
    }

    /**
     * Each thread holds at most one reserved or idle stream at a time, so four threads never fill
     * a bound of five: a reservation must never count twice while it turns into an idle stream (as
     * it did when the server counted its reservations apart from the registry's idle streams).
     */
    @Test
    void aReservationNeverCountsTwiceWhileItBecomesIdle() throws Exception {
        StreamRegistry r = new StreamRegistry(8);
        int threads = 4;
        AtomicInteger refusals = new AtomicInteger();
        List<Future<?>> loops = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int base = t << 24;
            loops.add(exec.submit(() -> {
                for (int i = 0; i < 20_000; i++) {
                    if (!r.reserve(threads + 1)) {
                        refusals.incrementAndGet();
                        continue;
                    }
                    String id = StreamIds.toText(base + i);
                    assertThat(r.registerReserved(Stubs.pooled(id, conn))).isTrue();
                    assertThat(r.take(id)).isNotNull();
                }
                return null;
            }));
        }
        for (Future<?> f : loops) {
            f.get(30, TimeUnit.SECONDS);
        }
        assertThat(refusals.get()).as("reservations refused below the bound").isZero();
        assertThat(r.active()).isZero();
        assertThat(r.reserved()).isZero();
    }

    @Test
    void aClosedRegistryKeepsNoStreamReachable() {
        StreamRegistry r = new StreamRegistry(8);
        List<WeakReference<PooledStream>> streams = registerAndTakeSomeById(r);
        r.close();
        for (int i = 0; i < 50 && streams.stream().anyMatch(w -> w.get() != null); i++) {
            System.gc();
        }
        assertThat(streams).as("streams still reachable from the closed registry")
                .allMatch(w -> w.get() == null);
    }

    /**
     * An async take its holder completes just as a stream is taken for it: it still looks open when
     * the registry checks it (isDone answers false here), so the registry takes a stream, fails to
     * complete the take, and must put the stream back.
     */
    private static final class CompletedBehindTheRegistrysBack extends AsyncTake {
        int deliveries;

        CompletedBehindTheRegistrysBack(StreamRegistry r, String id) {
            super(r, id);
        }

        @Override
        public boolean isDone() {
            return false;
        }

        @Override
        protected void delivered(PooledStream s) {
            deliveries++;
        }

        @Override
        protected void cancelled() {
        }
    }

    @Test
    void aStreamTakenForAnAsyncTakeThatEndedMeanwhileGoesBackUncounted() {
        StreamRegistry r = new StreamRegistry(8);
        CompletedBehindTheRegistrysBack any = new CompletedBehindTheRegistrysBack(r, null);
        CompletedBehindTheRegistrysBack byId = new CompletedBehindTheRegistrysBack(r, "00000002");
        r.waitAny(any);
        r.waitFor(byId);
        assertThat(r.waiters()).isEqualTo(2);
        any.complete(null); // its holder, as a timeout or a cancel would
        byId.complete(null);

        PooledStream a = Stubs.pooled("00000001", conn);
        PooledStream b = Stubs.pooled("00000002", conn);
        assertThat(r.register(a)).isTrue();
        assertThat(r.register(b)).isTrue();

        assertThat(any.deliveries + byId.deliveries).isZero();
        assertThat(r.waiters()).isZero();
        assertThat(r.active()).isEqualTo(2);
        assertThat(r.takenCount()).isZero();
        assertThat(r.registeredCount()).isEqualTo(2);
        assertThat(r.take("00000002")).isSameAs(b);
        assertThat(r.takeAny()).isSameAs(a);
    }

    @Test
    void anArrivingStreamGoesToTheAsyncTakeOfItsIdBeforeOneOfAnyStream() throws Exception {
        StreamRegistry r = new StreamRegistry(8);
        AsyncTake any = new AsyncTake(r, null) {
            @Override
            protected void delivered(PooledStream s) {
            }

            @Override
            protected void cancelled() {
            }
        };
        AsyncTake byId = new AsyncTake(r, "00000007") {
            @Override
            protected void delivered(PooledStream s) {
            }

            @Override
            protected void cancelled() {
            }
        };
        r.waitAny(any);
        r.waitFor(byId);
        PooledStream s = Stubs.pooled("00000007", conn);
        r.register(s);
        assertThat(byId.get(1, TimeUnit.SECONDS)).isSameAs(s);
        assertThat(any).isNotDone();
        PooledStream t = Stubs.pooled("00000008", conn);
        r.register(t);
        assertThat(any.get(1, TimeUnit.SECONDS)).isSameAs(t);
        assertThat(r.waiters()).isZero();
    }

    /** Four streams: two taken by ID (and dropped by their taker), two left idle. */
    private List<WeakReference<PooledStream>> registerAndTakeSomeById(StreamRegistry r) {
        List<WeakReference<PooledStream>> refs = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            PooledStream s = Stubs.pooled(StreamIds.toText(i), conn);
            refs.add(new WeakReference<>(s));
            assertThat(r.register(s)).isTrue();
        }
        assertThat(r.take(StreamIds.toText(1))).isNotNull();
        assertThat(r.take(StreamIds.toText(3))).isNotNull();
        return refs;
    }
}
