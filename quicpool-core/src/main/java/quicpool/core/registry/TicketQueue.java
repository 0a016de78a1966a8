// SPDX-License-Identifier: Apache-2.0
package quicpool.core.registry;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A bounded multi-producer, multi-consumer FIFO queue of non-negative {@code long}s over two
 * arrays made once: offering and polling allocate nothing and store no reference, so a
 * collector's reference write barrier (G1's fences before it marks a card) costs them nothing.
 * The registry keeps its arrival order in one, as {@link IdTable} tickets: JCTools' queues, the
 * library made for such queues, hold references only.
 *
 * <p>Each slot has a sequence number that says whose turn it is (D. Vyukov's bounded MPMC queue):
 * {@code position} when a producer at that position may fill it, {@code position + 1} when a
 * consumer at that position may empty it, {@code position + capacity} when the producer of the
 * next lap may fill it again. A producer or consumer claims its position with one compare-and-set
 * on the tail or the head, then writes or reads the value and hands the slot on with a release
 * store of its sequence. A thread that finds its slot claimed but not yet handed on (another
 * thread is between its compare-and-set and its release store) spins until it is, unless the
 * queue is full or empty. Thread-safe.
 */
final class TicketQueue extends TicketQueueTail {
    /** What {@link #poll()} returns when the queue is empty. */
    static final long NONE = -1;

    private static final VarHandle SEQUENCES = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle HEAD;
    private static final VarHandle TAIL;

    static {
        try {
            HEAD = MethodHandles.lookup().findVarHandle(TicketQueueHead.class, "head", long.class);
            TAIL = MethodHandles.lookup().findVarHandle(TicketQueueTail.class, "tail", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long[] values;
    private final long[] sequences;
    private final int mask;

    /**
     * @param capacity the most values it holds, rounded up to a power of two of at least 2 (with one
     *                 slot, a value just offered would leave the slot's sequence where the next
     *                 offer expects an empty slot, and that offer would overwrite it)
     * @throws IllegalArgumentException if {@code capacity} is not within 1..2^30
     */
    TicketQueue(int capacity) {
        if (capacity < 1 || capacity > 1 << 30) {
            throw new IllegalArgumentException("a ticket queue holds 1 to 2^30 values, asked for " + capacity);
        }
        int n = capacity <= 2 ? 2 : Integer.highestOneBit(capacity - 1) << 1;
        values = new long[n];
        sequences = new long[n];
        for (int i = 0; i < n; i++) {
            sequences[i] = i;
        }
        mask = n - 1;
    }

    /**
     * Adds {@code value} at the tail.
     *
     * @return false if the queue is full
     * @throws IllegalArgumentException if {@code value} is negative
     */
    boolean offer(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("a ticket queue holds non-negative values, was " + value);
        }
        for (;;) {
            long t = tail;
            int slot = (int) t & mask;
            long sequence = (long) SEQUENCES.getAcquire(sequences, slot);
            if (sequence == t) {
                if (TAIL.compareAndSet(this, t, t + 1)) {
                    values[slot] = value;
                    SEQUENCES.setRelease(sequences, slot, t + 1);
                    return true;
                }
            } else if (sequence < t) {
                if (t - values.length >= head) {
                    return false; // the value a lap ago is still there: full
                }
                Thread.onSpinWait(); // its consumer has claimed it and is about to hand the slot on
            }
            // sequence > t: another producer took position t; look again
        }
    }

    /** Removes and returns the value at the head, or {@link #NONE} if the queue is empty. */
    long poll() {
        for (;;) {
            long h = head;
            int slot = (int) h & mask;
            long sequence = (long) SEQUENCES.getAcquire(sequences, slot);
            if (sequence == h + 1) {
                if (HEAD.compareAndSet(this, h, h + 1)) {
                    long value = values[slot];
                    SEQUENCES.setRelease(sequences, slot, h + values.length);
                    return value;
                }
            } else if (sequence < h + 1) {
                if (h >= tail) {
                    return NONE;
                }
                Thread.onSpinWait(); // its producer has claimed it and is about to fill it
            }
            // sequence > h + 1: another consumer took position h; look again
        }
    }

    /** True if no value was in the queue at some moment during the call. */
    boolean isEmpty() {
        long h = head; // first: the tail read after it is at least as recent
        return tail <= h;
    }
}

/** Keeps the head off the cache lines of whatever the object header shares with. */
abstract class TicketQueueHeadPad {
    long p00, p01, p02, p03, p04, p05, p06, p07;
}

/** The next position to poll. */
abstract class TicketQueueHead extends TicketQueueHeadPad {
    volatile long head;
}

/** Keeps the head and the tail on different cache lines: consumers and producers write them. */
abstract class TicketQueueTailPad extends TicketQueueHead {
    long p10, p11, p12, p13, p14, p15, p16, p17;
}

/** The next position to offer at, and padding after it. */
abstract class TicketQueueTail extends TicketQueueTailPad {
    volatile long tail;
    long p20, p21, p22, p23, p24, p25, p26, p27;
}
