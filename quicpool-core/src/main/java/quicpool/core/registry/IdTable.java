// SPDX-License-Identifier: Apache-2.0
package quicpool.core.registry;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;

/**
 * A lock-free map from 32-bit stream IDs to values, at most one value per ID, over arrays made
 * once: putting, taking and removing allocate nothing. What the registry's idle streams are found
 * by (it replaced a {@code ConcurrentHashMap}, whose node per entry was the get path's last
 * allocation).
 *
 * <p>Open addressing with linear probing over a power-of-two number of slots. Each slot has a
 * 64-bit tag (the ID, a version and a state: empty, reserved, full or being taken) and a value;
 * the tag is the only thing changed by compare-and-set, the value is written by the one thread that
 * reserved the slot and read by the one that took it, both ordered by the tag. The version grows
 * each time a slot empties, so a tag seen once is never mistaken for a later occupant of the slot.
 *
 * <p>Removal leaves a hole rather than moving entries back, so a lookup cannot stop at the first
 * empty slot. Instead each home slot keeps its <em>reach</em>: the farthest distance from it at which
 * an entry of that home was ever put. It only grows, is raised before an entry becomes visible,
 * and bounds every lookup of that home. The registry gives its table twice as many slots as the
 * idle streams its pool holds at most, so it stays at most half full, where probe runs (and so
 * reaches) stay short.
 *
 * <p>Two puts of the same ID racing each other both reserve a slot, then each looks for the other;
 * whoever sees the other backs off, so two values of one ID are never present, and in the rare race
 * where both see each other both are refused. Thread-safe; no operation waits for another.
 *
 * @param <T> the values, compared by identity
 */
final class IdTable<T> {
    /** The most slots a table has. */
    static final int MAX_SLOTS = 1 << 30;
    /** What {@link #putTicket} returns when it refused the value. */
    static final long NO_TICKET = -1;

    private static final VarHandle TAGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle REACH = MethodHandles.arrayElementVarHandle(int[].class);

    private static final long STATE = 0b11;
    private static final long EMPTY = 0;
    private static final long RESERVED = 1;
    private static final long FULL = 2;
    /** Full, and one thread is taking the value out: no one else touches the slot meanwhile. */
    private static final long TAKING = 3;
    private static final long VERSION = 0xffff_fffcL;
    private static final long VERSION_ONE = 4;

    /** Per slot: ID (high 32 bits), version (bits 2..31), state (bits 0..1). */
    private final long[] tags;
    private final Object[] values;
    /** Per home slot: the farthest distance from it at which an entry of that home was put. */
    private final int[] reach;
    private final int mask;
    private final int shift;

    /**
     * @param slots how many values the table can hold at least; rounded up to a power of two
     * @throws IllegalArgumentException if {@code slots} is not within 1..{@value #MAX_SLOTS}
     */
    IdTable(int slots) {
        if (slots < 1 || slots > MAX_SLOTS) {
            throw new IllegalArgumentException("an ID table has 1 to " + MAX_SLOTS + " slots, asked for " + slots);
        }
        int n = Math.max(2, Integer.highestOneBit(slots - 1) << 1);
        tags = new long[n];
        values = new Object[n];
        reach = new int[n];
        mask = n - 1;
        shift = 32 - Integer.numberOfTrailingZeros(n);
    }

    /** The number of slots: a power of two, at least the number asked for. */
    int slots() {
        return tags.length;
    }

    /** The slot {@code id}'s probe starts at (package-private for tests): Fibonacci hashing, so sequential and random IDs alike spread. */
    int home(int id) {
        return (id * 0x9E3779B9) >>> shift;
    }

    private static int idOf(long tag) {
        return (int) (tag >>> 32);
    }

    private static long emptied(long tag) {
        return (tag + VERSION_ONE) & VERSION;
    }

    /**
     * Adds {@code value} under {@code id} and returns its ticket: a non-negative number naming this
     * stay of the value in its slot (the slot, and the slot's version, which grows each time the
     * slot empties), for {@link #takeTicket} and {@link #holds}. A ticket names one stay only while
     * its slot has emptied fewer than 2^30 times since.
     *
     * @return the ticket, or {@link #NO_TICKET} if a value with this ID is present (or being put by
     *         another thread at the same time), or if no slot is free; the table is unchanged then
     */
    long putTicket(int id, T value) {
        int home = home(id);
        for (;;) {
            int slot = -1;
            long tag = 0;
            int distance = 0;
            for (; distance < tags.length; distance++) {
                slot = (home + distance) & mask;
                tag = (long) TAGS.getVolatile(tags, slot);
                if ((tag & STATE) == EMPTY) {
                    break;
                }
            }
            if (distance == tags.length) {
                return NO_TICKET;
            }
            long reserved = (long) id << 32 | (tag & VERSION) | RESERVED;
            if (!TAGS.compareAndSet(tags, slot, tag, reserved)) {
                continue; // taken by another put: look again from home
            }
            raiseReach(home, distance);
            if (presentElsewhere(id, home, slot)) {
                TAGS.setRelease(tags, slot, emptied(reserved));
                return NO_TICKET;
            }
            values[slot] = value;
            TAGS.setRelease(tags, slot, reserved ^ RESERVED ^ FULL); // publishes the value
            return (long) slot << 32 | reserved & VERSION;
        }
    }

    private void raiseReach(int home, int distance) {
        int r;
        while ((r = (int) REACH.getVolatile(reach, home)) < distance) {
            if (REACH.compareAndSet(reach, home, r, distance)) {
                return;
            }
        }
    }

    /** True if a slot other than {@code own} within the reach of {@code home} holds or reserves {@code id}. */
    private boolean presentElsewhere(int id, int home, int own) {
        return slotOf(id, home, own, true) >= 0;
    }

    /**
     * The first slot within the reach of {@code home}, other than {@code except}, whose tag is
     * full with {@code id} (or reserved for it, if {@code reservedToo}); -1 if there is none.
     */
    private int slotOf(int id, int home, int except, boolean reservedToo) {
        int r = (int) REACH.getVolatile(reach, home);
        for (int d = 0; d <= r; d++) {
            int slot = (home + d) & mask;
            long tag = (long) TAGS.getVolatile(tags, slot);
            long state = tag & STATE;
            if ((state == FULL || reservedToo && state == RESERVED) && idOf(tag) == id && slot != except) {
                return slot;
            }
        }
        return -1;
    }

    /** Removes and returns the value with this ID, or null if there is none. */
    @SuppressWarnings("unchecked")
    T take(int id) {
        return (T) takeOut(id, null);
    }

    /** Removes {@code value} if it is present under {@code id}; returns whether it was. */
    boolean remove(int id, T value) {
        return takeOut(id, value) != null;
    }

    /** Removes the value of {@code id}, if it is {@code only} (any, when null); returns it or null. */
    private Object takeOut(int id, Object only) {
        int home = home(id);
        for (;;) {
            int slot = slotOf(id, home, -1, false);
            if (slot < 0) {
                return null;
            }
            long tag = (long) TAGS.getVolatile(tags, slot);
            if ((tag & STATE) != FULL || idOf(tag) != id) {
                continue; // it changed under us: look again
            }
            if (only != null && values[slot] != only) {
                return null; // one slot per ID: the value asked for is not there
            }
            if (TAGS.compareAndSet(tags, slot, tag, tag | TAKING)) {
                return empty(slot, tag);
            }
        }
    }

    /**
     * Removes and returns the value whose stay {@code ticket} names, or null if that stay has
     * ended (the value was taken or removed).
     */
    @SuppressWarnings("unchecked")
    T takeTicket(long ticket) {
        int slot = (int) (ticket >>> 32);
        long tag = (long) TAGS.getVolatile(tags, slot);
        // A failed compare-and-set means the tag moved on from this stay: FULL is left only for TAKING.
        if (isStay(tag, ticket) && TAGS.compareAndSet(tags, slot, tag, tag | TAKING)) {
            return (T) empty(slot, tag);
        }
        return null;
    }

    /** True if the stay {@code ticket} names has not ended: a snapshot, stale once it returns. */
    boolean holds(long ticket) {
        return isStay((long) TAGS.getVolatile(tags, (int) (ticket >>> 32)), ticket);
    }

    private static boolean isStay(long tag, long ticket) {
        return (tag & STATE) == FULL && (tag & VERSION) == (ticket & VERSION);
    }

    /** The caller moved the slot from {@code tag} (full) to taking: clears it and returns its value. */
    private Object empty(int slot, long tag) {
        Object v = values[slot];
        values[slot] = null; // a table keeps nothing reachable that it no longer holds
        TAGS.setRelease(tags, slot, emptied(tag));
        return v;
    }

    /**
     * Calls {@code action} with each value present when the walk reaches its slot; values put or
     * removed meanwhile may be seen or not. For walks off the get path: allocates nothing itself.
     */
    @SuppressWarnings("unchecked")
    void forEach(Consumer<? super T> action) {
        for (int slot = 0; slot < tags.length; slot++) {
            long tag = (long) TAGS.getVolatile(tags, slot);
            if ((tag & STATE) == FULL) {
                Object v = values[slot];
                if (v != null && (long) TAGS.getVolatile(tags, slot) == tag) {
                    action.accept((T) v);
                }
            }
        }
    }
}
