// SPDX-License-Identifier: Apache-2.0
package quicpool.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class IdTableTest {
    private final ExecutorService exec = Executors.newCachedThreadPool();

    /** A value of the table: distinct by identity even for one ID. */
    private record Token(int id, long serial) {
    }

    @AfterEach
    void stop() {
        exec.shutdownNow();
    }

    /** {@code n} distinct IDs whose probes all start at the same slot. */
    /** Puts {@code value} under {@code id}; whether the table took it. */
    private static <T> boolean put(IdTable<T> t, int id, T value) {
        return t.putTicket(id, value) != IdTable.NO_TICKET;
    }

    private static int[] colliding(IdTable<?> t, int n) {
        int[] ids = new int[n];
        int home = t.home(1);
        int found = 0;
        for (int id = 1; found < n; id++) {
            if (t.home(id) == home) {
                ids[found++] = id;
            }
        }
        return ids;
    }

    @Test
    void roundsSlotsUpToAPowerOfTwoAndRefusesSizesOutOfRange() {
        assertThat(new IdTable<Token>(1).slots()).isEqualTo(2);
        assertThat(new IdTable<Token>(16).slots()).isEqualTo(16);
        assertThat(new IdTable<Token>(17).slots()).isEqualTo(32);
        assertThatThrownBy(() -> new IdTable<Token>(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("asked for 0");
        assertThatThrownBy(() -> new IdTable<Token>(IdTable.MAX_SLOTS + 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 to " + IdTable.MAX_SLOTS);
    }

    @Test
    void idsOfOneHomeAreAllFoundAndAHoleLeftByARemovalHidesNone() {
        IdTable<Token> t = new IdTable<>(16);
        int[] ids = colliding(t, 5);
        Token[] tokens = new Token[ids.length];
        long[] tickets = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            tokens[i] = new Token(ids[i], i);
            tickets[i] = t.putTicket(ids[i], tokens[i]);
            assertThat(tickets[i]).isNotEqualTo(IdTable.NO_TICKET);
        }
        assertThat(t.take(ids[1])).isSameAs(tokens[1]); // a hole before the later ones
        assertThat(t.remove(ids[2], tokens[2])).isTrue();
        assertThat(t.take(ids[4])).as("found past the holes").isSameAs(tokens[4]);
        assertThat(t.take(ids[1])).isNull();
        assertThat(t.holds(tickets[3])).isTrue();

        Token again = new Token(ids[1], 9);
        assertThat(put(t, ids[1], again)).as("a hole is reused").isTrue();
        assertThat(put(t, ids[3], new Token(ids[3], 10))).as("its ID is still present, past the hole").isFalse();
        assertThat(t.take(ids[0])).isSameAs(tokens[0]);
        assertThat(t.take(ids[3])).isSameAs(tokens[3]);
        assertThat(t.take(ids[1])).isSameAs(again);
        assertThat(t.take(ids[2])).isNull();
    }

    @Test
    void refusesASecondValueForAnIdUntilTheFirstLeaves() {
        IdTable<Token> t = new IdTable<>(8);
        Token first = new Token(7, 1);
        Token second = new Token(7, 2);
        assertThat(put(t, 7, first)).isTrue();
        assertThat(put(t, 7, second)).isFalse();
        assertThat(t.take(7)).isSameAs(first);
        assertThat(put(t, 7, second)).isTrue();
        assertThat(t.take(7)).isSameAs(second);
    }

    @Test
    void removesOnlyTheValueItIsGiven() {
        IdTable<Token> t = new IdTable<>(8);
        Token present = new Token(3, 1);
        long ticket = t.putTicket(3, present);
        assertThat(t.remove(3, new Token(3, 2))).as("another value of the same ID").isFalse();
        assertThat(t.remove(4, present)).as("under another ID").isFalse();
        assertThat(t.holds(ticket)).isTrue();
        assertThat(t.remove(3, present)).isTrue();
        assertThat(t.remove(3, present)).isFalse();
        assertThat(t.holds(ticket)).isFalse();
    }

    @Test
    void aTicketTakesItsOwnStayOnlyAndNeverALaterValueInTheSameSlot() {
        IdTable<Token> t = new IdTable<>(8);
        Token first = new Token(5, 1);
        long firstTicket = t.putTicket(5, first);
        assertThat(firstTicket).isNotNegative();
        assertThat(t.take(5)).isSameAs(first); // taken by ID: the ticket is spent
        Token second = new Token(5, 2);
        long secondTicket = t.putTicket(5, second); // the same home, so the same slot, one version on
        assertThat(secondTicket >>> 32).as("slot").isEqualTo(firstTicket >>> 32);
        assertThat(secondTicket).isNotEqualTo(firstTicket);
        assertThat(t.holds(firstTicket)).isFalse();
        assertThat(t.takeTicket(firstTicket)).as("a spent ticket").isNull();
        assertThat(t.holds(secondTicket)).isTrue();
        assertThat(t.takeTicket(secondTicket)).isSameAs(second);
        assertThat(t.takeTicket(secondTicket)).as("taken once").isNull();
        assertThat(t.take(5)).isNull();
        assertThat(t.putTicket(5, second)).isNotEqualTo(IdTable.NO_TICKET);
        assertThat(t.putTicket(5, first)).as("a second value of ID 5").isEqualTo(IdTable.NO_TICKET);
    }

    @Test
    void aFullTableRefusesUntilASlotIsFreedAndWrapsAroundItsEnd() {
        IdTable<Token> t = new IdTable<>(16);
        List<Token> in = new ArrayList<>();
        for (int id = 100; in.size() < t.slots(); id++) {
            Token k = new Token(id, 0);
            assertThat(put(t, id, k)).isTrue();
            in.add(k);
        }
        assertThat(put(t, 99, new Token(99, 0))).as("no slot left").isFalse();
        Token freed = in.get(5);
        assertThat(t.take(freed.id())).isSameAs(freed);
        Token late = new Token(99, 1);
        assertThat(put(t, 99, late)).isTrue();
        assertThat(t.take(99)).isSameAs(late);
        for (Token k : in) {
            if (k != freed) {
                assertThat(t.take(k.id())).as("id %d", k.id()).isSameAs(k);
            }
        }
        List<Token> left = new ArrayList<>();
        t.forEach(left::add);
        assertThat(left).isEmpty();
    }

    @Test
    void forEachVisitsEveryValuePresent() {
        IdTable<Token> t = new IdTable<>(64);
        List<Token> in = new ArrayList<>();
        for (int id = -20; id < 20; id++) {
            Token k = new Token(id, 0);
            put(t, id, k);
            in.add(k);
        }
        List<Token> seen = new ArrayList<>();
        t.forEach(seen::add);
        assertThat(seen).containsExactlyInAnyOrderElementsOf(in);
    }

    /** Threads racing to put one ID: at most one wins each round, never two. */
    @Test
    void racingPutsOfOneIdNeverBothSucceed() throws Exception {
        IdTable<Token> t = new IdTable<>(16);
        int threads = 4;
        int rounds = 2_000;
        CyclicBarrier start = new CyclicBarrier(threads);
        CyclicBarrier end = new CyclicBarrier(threads, () -> t.take(42));
        AtomicInteger[] winners = new AtomicInteger[rounds];
        for (int i = 0; i < rounds; i++) {
            winners[i] = new AtomicInteger();
        }
        List<Future<?>> all = new ArrayList<>();
        for (int p = 0; p < threads; p++) {
            int thread = p;
            all.add(exec.submit(() -> {
                for (int round = 0; round < rounds; round++) {
                    start.await(10, TimeUnit.SECONDS);
                    if (put(t, 42, new Token(42, thread))) {
                        winners[round].incrementAndGet();
                    }
                    end.await(10, TimeUnit.SECONDS);
                }
                return null;
            }));
        }
        for (Future<?> f : all) {
            f.get(20, TimeUnit.SECONDS);
        }
        for (int i = 0; i < rounds; i++) {
            assertThat(winners[i].get()).as("round %d", i).isLessThanOrEqualTo(1);
        }
        assertThat(t.take(42)).isNull();
    }

    /** A value that knows whether it came out of the table. */
    private static final class Traced {
        final int id;
        final AtomicBoolean out = new AtomicBoolean();

        Traced(int id) {
            this.id = id;
        }
    }

    /**
     * Four threads put, take and remove over 48 IDs in a table of 64 slots for two seconds; every
     * value put comes out exactly once (taken, removed, or left at the end), and never two values
     * for one ID are present at the end.
     */
    @Test
    void concurrentPutsTakesAndRemovesLoseAndDuplicateNothing() throws Exception {
        IdTable<Traced> t = new IdTable<>(64);
        int ids = 48;
        int threads = 4;
        LongAdder put = new LongAdder();
        LongAdder out = new LongAdder();
        AtomicInteger twice = new AtomicInteger();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        List<Future<?>> all = new ArrayList<>();
        for (int p = 0; p < threads; p++) {
            all.add(exec.submit(() -> {
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                List<Traced> mine = new ArrayList<>();
                while (System.nanoTime() < until) {
                    int id = rnd.nextInt(ids) * 0x01000193; // spread over the whole int range
                    int op = rnd.nextInt(3);
                    Traced k = null;
                    if (op == 0) {
                        Traced fresh = new Traced(id);
                        if (put(t, id, fresh)) {
                            put.increment();
                            if (mine.size() < 64) {
                                mine.add(fresh);
                            }
                        }
                    } else if (op == 1) {
                        k = t.take(id);
                    } else if (!mine.isEmpty()) {
                        Traced mineK = mine.remove(rnd.nextInt(mine.size()));
                        k = t.remove(mineK.id, mineK) ? mineK : null;
                    }
                    if (k != null) {
                        out.increment();
                        if (!k.out.compareAndSet(false, true)) {
                            twice.incrementAndGet();
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : all) {
            f.get(20, TimeUnit.SECONDS);
        }
        assertThat(twice.get()).as("values that came out twice").isZero();
        Map<Integer, Traced> left = new HashMap<>();
        t.forEach(k -> assertThat(left.put(k.id, k)).as("a second value for ID %d", k.id).isNull());
        for (Traced k : left.values()) {
            assertThat(k.out.get()).as("left in the table and also taken").isFalse();
            assertThat(t.take(k.id)).isSameAs(k);
        }
        assertThat(out.sum() + left.size()).as("every value put comes out once").isEqualTo(put.sum());
        assertThat(put.sum()).as("enough work was done to mean something").isGreaterThan(1_000);
    }
}
