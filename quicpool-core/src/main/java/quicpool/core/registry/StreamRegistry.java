// SPDX-License-Identifier: Apache-2.0
package quicpool.core.registry;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;
import quicpool.api.PoolClosedException;
import quicpool.core.id.StreamIds;
import quicpool.core.stream.PooledStream;

/**
 * The idle streams of a pool, taken by ID or in arrival order.
 *
 * <p>The table from ID to stream ({@link IdTable}, keyed by the 32-bit ID, made once) is the single
 * source of truth: whoever removes a stream from it owns it. A {@link TicketQueue} only remembers
 * arrival order for takes of any stream, as the table's tickets (a stream's slot and the slot's
 * version), not as references: a registration stores one reference, into the table. A ticket
 * whose stream was taken by ID or evicted stays in the queue until a poll skips it. Takes that
 * find a stream and registrations never lock or allocate (a registration with takes waiting
 * allocates what serving them needs); waits park on a condition (any stream) or per ID, and a
 * registration wakes exactly the waiters that can use it. {@link AsyncTake Async takes} wait
 * without a thread: the registration itself takes the stream for the oldest one and completes it;
 * one that ended meanwhile gets nothing, and the stream goes back. A registration with nobody
 * waiting reads one more counter and nothing else.
 *
 * <p>Streams are counted, not the idle set: {@code arrived} and {@code arrivedReserved} count the
 * streams that became idle (through {@link #register} and {@link #registerReserved}), {@code
 * departed} those that stopped being idle (taken or evicted, less those put back), so each
 * registration and each take does one atomic add. {@link #active()} is their difference, exact
 * once concurrent calls have returned: a stream is counted just after it becomes visible, so one
 * taken at once may be counted as departed before it has arrived, and a read meanwhile can fall
 * short by the registrations in flight. A pool that admits streams up to a bound (the server)
 * can {@link #reserve(int) reserve} room for a stream it is still handshaking: {@code
 * reservations} counts those not given back, registered or not, so that {@code reservations +
 * arrived - departed}, the reserved and idle streams that the bound applies to, does not change
 * when a reservation turns into an idle stream, and drops when the stream departs.
 */
public final class StreamRegistry {
    /**
     * The most idle streams a registry is sized for: a pool allowing more (a server's {@code
     * maxCapacity} may be up to {@code Integer.MAX_VALUE}) still gets this many table slots and
     * refuses registrations once they are full.
     */
    static final int MAX_SIZED = 1 << 20;

    private static final VarHandle ARRIVED;
    private static final VarHandle ARRIVED_RESERVED;
    private static final VarHandle DEPARTED;
    private static final VarHandle RESERVATIONS;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            ARRIVED = l.findVarHandle(StreamRegistry.class, "arrived", long.class);
            ARRIVED_RESERVED = l.findVarHandle(StreamRegistry.class, "arrivedReserved", long.class);
            DEPARTED = l.findVarHandle(StreamRegistry.class, "departed", long.class);
            RESERVATIONS = l.findVarHandle(StreamRegistry.class, "reservations", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final IdTable<PooledStream> idle;
    private final TicketQueue order;

    /** Streams made idle by {@link #register}, counted once visible; each is then idle, taken or evicted. */
    private volatile long arrived;
    /** The same for {@link #registerReserved}. */
    private volatile long arrivedReserved;
    /** Streams removed from the idle ones by a take or an eviction, less those put back. */
    private volatile long departed;
    /**
     * Reservations not given back, registered or not: {@code reservations - arrivedReserved} are
     * outstanding.
     */
    private volatile long reservations;
    private final LongAdder evicted = new LongAdder();
    /** Streams handed out and closed since: {@code taken - returned} are in use. */
    private final LongAdder returned = new LongAdder();

    private final ReentrantLock anyLock = new ReentrantLock();
    private final Condition anyArrived = anyLock.newCondition();
    private final AtomicInteger anyWaiters = new AtomicInteger();
    /**
     * Loads {@link IdWaiter} with the registry rather than in the first waiting take, which makes one
     * inside a map bin's lock: a virtual thread that loads a class there stays pinned to its carrier
     * while the other virtual threads that reach the same first take wait for that class (seen by
     * {@code VirtualThreadGetsTest} as a pinned {@code take}, 2 runs in about 20).
     */
    private static final Class<?> WAITER_CLASS = IdWaiter.class;
    private final ConcurrentHashMap<String, IdWaiter> idWaiters = new ConcurrentHashMap<>();
    /** Entries in {@link #idWaiters}, for {@link #waiters()}: counted off the path of a take that finds its stream. */
    private final AtomicInteger idWaiterCount = new AtomicInteger();
    /**
     * Async takes of any stream, oldest first. A take leaves it when a stream is delivered to it,
     * or through {@link #abandon}; one found done otherwise is dropped by the next delivery.
     */
    private final ConcurrentLinkedQueue<AsyncTake> asyncAny = new ConcurrentLinkedQueue<>();
    /** Takes in {@link #asyncAny}: what a registration reads to know whether to serve them. */
    private final AtomicInteger asyncAnyWaiters = new AtomicInteger();

    private final Consumer<PooledStream> evictOnPeerAbort = this::evict;
    private volatile boolean closed;

    /**
     * @param maxIdle the most idle streams the pool holds at once: the table gets twice as many
     *                slots (at least 16), for at most {@value #MAX_SIZED} of them
     * @throws IllegalArgumentException if {@code maxIdle} is less than 1
     */
    public StreamRegistry(int maxIdle) {
        if (maxIdle < 1) {
            throw new IllegalArgumentException("maxIdle must be at least 1, was " + maxIdle);
        }
        int sized = Math.min(maxIdle, MAX_SIZED);
        this.idle = new IdTable<>(Math.max(16, 2 * sized));
        this.order = new TicketQueue(Math.max(64, 2 * sized));
    }

    /**
     * Makes a stream available.
     *
     * @return false if a stream with the same ID is idle already (or registering at the same
     *         time), the table is full (more than twice {@code maxIdle} idle streams), or the
     *         registry is closed; the caller still owns the stream then
     */
    public boolean register(PooledStream s) {
        return register(s, false);
    }

    /**
     * Reserves room for one stream that is not ready yet (a server still handshaking it): succeeds
     * while idle streams plus reservations are fewer than {@code max}. The caller must end the
     * reservation with {@link #registerReserved} or {@link #unreserve()}.
     *
     * <p>The check holds at the compare-and-set that takes the room, which confirms {@code
     * reservations}; a departure the read missed only makes it refuse sooner. A registration on a
     * reservation leaves the sum unchanged; one without is counted exactly once its {@link
     * #register} returned. A stream put back after an async take ended comes back without a check
     * and may exceed the bound by one while it is idle, if the room it left was reserved meanwhile
     * (or the reserve read the count just before it came back).
     */
    public boolean reserve(int max) {
        long r;
        do {
            r = reservations;
            long gone = departed;
            if (r + arrived - gone >= max) {
                return false;
            }
        } while (!RESERVATIONS.compareAndSet(this, r, r + 1));
        return true;
    }

    /** Gives back a reservation whose stream will not be registered. */
    public void unreserve() {
        RESERVATIONS.getAndAdd(this, -1L);
    }

    /**
     * Makes available a stream that {@link #reserve(int)} made room for: it counts against the
     * bound as it did while reserved, until it is taken or evicted. On false (as for {@link
     * #register}) the reservation is given back.
     */
    public boolean registerReserved(PooledStream s) {
        return register(s, true);
    }

    private boolean register(PooledStream s, boolean reserved) {
        if (!enter(s)) {
            if (reserved) {
                unreserve();
            }
            return false;
        }
        s.onPeerAbort(evictOnPeerAbort);
        // Counted once visible. The count, a volatile read-modify-write (lock-prefixed on x86), is
        // also the full fence between the stream and its callback and our reads of the abort flag
        // and of the waiters (pairs with afterListing).
        if (reserved) {
            ARRIVED_RESERVED.getAndAdd(this, 1L);
        } else {
            ARRIVED.getAndAdd(this, 1L);
        }
        evictIfAborted(s);
        announce(s.id());
        return true;
    }

    /** After the fence that follows {@code s}'s peer-abort callback: an abort before it is ours to act on. */
    private void evictIfAborted(PooledStream s) {
        if (s.peerAborted()) {
            evict(s);
        }
    }

    /**
     * Makes {@code s} idle: in the table, then in the arrival queue (a take of any stream that
     * polls it finds it in the table). False if the table refused it or the registry closed.
     */
    private boolean enter(PooledStream s) {
        long ticket;
        if (closed || (ticket = idle.putTicket(s.key(), s)) == IdTable.NO_TICKET) {
            return false;
        }
        if (closed && idle.remove(s.key(), s)) {
            return false; // close() may have swept before our put
        }
        if (!order.offer(ticket)) {
            offerSlow(ticket);
        }
        return true;
    }

    /**
     * A stream with this ID became idle and was counted: async takes of this ID are
     * served first (they asked for it by name), then async takes of any stream, then waiting
     * threads are woken. Each step reads a count or a map first and costs nothing when nobody
     * waits in it.
     */
    private void announce(String id) {
        if (idWaiterCount.get() > 0) {
            IdWaiter head = idWaiters.get(id);
            if (head != null && head.anyAsync()) {
                serveId(id);
            }
        }
        if (asyncAnyWaiters.get() > 0) {
            serveAny();
        }
        wakeThreads(id);
    }

    /** Wakes one thread waiting for any stream and every thread waiting for this ID. */
    private void wakeThreads(String id) {
        if (anyWaiters.get() > 0) {
            anyLock.lock();
            try {
                anyArrived.signal();
            } finally {
                anyLock.unlock();
            }
        }
        if (idWaiterCount.get() > 0) {
            for (IdWaiter w = idWaiters.get(id); w != null; w = w.next) {
                LockSupport.unpark(w.thread); // null for an async entry: no effect
            }
        }
    }

    /**
     * Delivers the idle stream of this ID, if there is one, to the oldest async take of it still
     * open. A take found done is dropped; a stream taken for a take completed meanwhile goes back
     * and the next take is tried. Calls nothing that serves other waiters, so it never recurses.
     */
    private void serveId(String id) {
        for (IdWaiter n = idWaiters.get(id); n != null; n = n.next) {
            AsyncTake w = n.async;
            if (w == null) {
                continue;
            }
            if (w.isDone()) {
                abandon(w);
                continue;
            }
            PooledStream s = pollId(id);
            if (s == null) {
                return;
            }
            if (deliver(w, s)) {
                return;
            }
            putBack(s);
        }
    }

    /**
     * Delivers idle streams to the async takes of any stream, oldest take first, until either runs
     * out. A stream taken for a take completed meanwhile goes back: the async takes of its ID are
     * served with it ({@link #serveId}, which never calls back here) and its waiting threads
     * woken, and this loop goes on with the next take.
     */
    private void serveAny() {
        AsyncTake w;
        while ((w = asyncAny.peek()) != null) {
            if (w.isDone()) {
                abandon(w);
                continue;
            }
            PooledStream s = pollAny();
            if (s == null) {
                return;
            }
            if (!deliver(w, s)) {
                putBack(s);
                IdWaiter head = idWaiterCount.get() > 0 ? idWaiters.get(s.id()) : null;
                if (head != null && head.anyAsync()) {
                    serveId(s.id());
                }
                wakeThreads(s.id());
            }
        }
    }

    /**
     * Completes {@code w} with {@code s}, which the caller took; false if {@code w} was completed
     * first (timed out, cancelled, the pool closed), and the caller still holds {@code s}. Either
     * way {@code w} leaves the waiters.
     */
    private boolean deliver(AsyncTake w, PooledStream s) {
        boolean delivered = w.complete(s); // the take's one outcome: whoever completes it first
        abandon(w);
        if (delivered) {
            w.delivered(s);
        }
        return delivered;
    }

    /**
     * Makes idle again a stream taken for an async take that had ended: it was never handed out,
     * so it counts as departed no more and not as registered again. As in {@link #register}, it is
     * counted once visible, and the count is the fence before the caller reads the waiters. Wakes
     * no one: the caller does. A closed registry, or another idle stream of its ID, closes it
     * instead.
     */
    private void putBack(PooledStream s) {
        s.takeBack();
        if (!enter(s)) {
            evicted.increment();
            s.close();
            return;
        }
        DEPARTED.getAndAdd(this, -1L);
        evictIfAborted(s);
    }

    /**
     * The queue is full of tickets of streams already taken by ID (a pool taken from only by ID
     * never polls it): drop them from its head, moving live ones to its tail, until {@code ticket}
     * fits. Takes by ID come roughly in arrival order, so the head is usually a ticket already
     * spent; in any order a live ticket moves again only after the head has passed the whole queue,
     * so the work per registration stays constant on average. Allocates nothing unless other
     * registrations take the room made for a live ticket.
     */
    private void offerSlow(long ticket) {
        while (!order.offer(ticket)) {
            long x = order.poll();
            if (x != TicketQueue.NONE && idle.holds(x) && !order.offer(x)) {
                offerHolding(x, ticket);
                return;
            }
        }
    }

    /** Offers {@code first}, then {@code ticket}, holding live tickets aside until there is room. */
    private void offerHolding(long first, long ticket) {
        ArrayDeque<Long> pending = new ArrayDeque<>();
        pending.add(first);
        pending.add(ticket);
        while (!pending.isEmpty()) {
            if (order.offer(pending.peek())) {
                pending.poll();
                continue;
            }
            long x = order.poll();
            if (x != TicketQueue.NONE && idle.holds(x)) {
                pending.add(x);
            }
        }
    }

    /**
     * Takes any idle stream, or returns null at once.
     *
     * @throws PoolClosedException if the registry is closed and had no stream
     */
    public PooledStream takeAny() {
        PooledStream s = pollAny();
        if (s == null) {
            checkOpen();
        }
        return s;
    }

    private PooledStream pollAny() {
        long ticket;
        while ((ticket = order.poll()) != TicketQueue.NONE) {
            PooledStream s = idle.takeTicket(ticket);
            if (s != null && claim(s)) {
                return s;
            }
        }
        return null;
    }

    private PooledStream pollId(String id) {
        PooledStream s = idle.take(StreamIds.parse(id));
        return s != null && claim(s) ? s : null;
    }

    /**
     * Lists {@code w}, an async take of any stream, after a {@link #takeAny()} found nothing: it is
     * completed with the next stream that no earlier take gets, or with {@link PoolClosedException}
     * when the registry closes. The caller times it out by completing it and calling {@link
     * #abandon}. Allocates one queue node.
     */
    public void waitAny(AsyncTake w) {
        asyncAnyWaiters.incrementAndGet();
        asyncAny.offer(w);
        if (openAfterListing(w)) {
            serveAny(); // a stream registered before our fence may have missed us
        }
    }

    /**
     * Lists {@code w}, an async take of the stream with its canonical ID, after a {@link
     * #take(String)} found nothing: it is completed when that stream arrives (unless an earlier
     * take of the ID gets it), or with {@link PoolClosedException} when the registry closes.
     * Allocates one list entry per take of the ID waiting.
     */
    public void waitFor(AsyncTake w) {
        String id = w.id;
        w.list();
        idWaiterCount.incrementAndGet();
        idWaiters.compute(id, (k, head) -> new IdWaiter(w, head));
        if (openAfterListing(w)) {
            announce(id); // as if the stream arrived: it may have, before our fence
        }
    }

    /** After {@code w} was listed: false, with {@code w} failed, if the registry is closed. */
    private boolean openAfterListing(AsyncTake w) {
        afterListing();
        if (closed) {
            failClosed(w);
            return false;
        }
        return true;
    }

    private void failClosed(AsyncTake w) {
        w.completeExceptionally(new PoolClosedException("pool closed"));
        abandon(w);
    }

    /**
     * Between listing a waiting take and looking again for a stream. Whatever makes a stream idle
     * makes it visible, counts it with a volatile read-modify-write of one of these counts, then
     * reads the waiters. This fence and that count make a Dekker pair. The read of the counts
     * makes the same argument in the synchronization order of volatile accesses: if it comes after
     * the count, the stream happens-before the look that follows; if before, so does the listing,
     * and the reads of the waiters that follow the count see it.
     */
    private void afterListing() {
        VarHandle.fullFence();
        long orderOnly = arrived + arrivedReserved + departed; // read for its place in that order, not its value
    }

    /**
     * Takes {@code w} off the waiters, if it is still there; idempotent. For a take that ended
     * otherwise than by a delivery: a timeout, a cancel, its holder completing it.
     */
    public void abandon(AsyncTake w) {
        if (w.id == null) {
            if (asyncAny.remove(w)) { // one caller removes it
                asyncAnyWaiters.decrementAndGet();
            }
        } else if (w.unlist()) {
            idWaiters.computeIfPresent(w.id, (k, head) -> head.withoutEntryOf(w));
            idWaiterCount.decrementAndGet();
        }
    }

    /**
     * Takes any idle stream, waiting up to {@code nanos}; null when none came in time.
     *
     * @throws PoolClosedException if the registry is or gets closed
     */
    public PooledStream takeAny(long nanos) throws InterruptedException {
        PooledStream s = takeAny();
        if (s != null || nanos <= 0) {
            return s;
        }
        anyLock.lockInterruptibly();
        try {
            anyWaiters.incrementAndGet();
            try {
                afterListing();
                while ((s = takeAny()) == null && nanos > 0) {
                    nanos = anyArrived.awaitNanos(nanos);
                }
                if (s != null && anyWaiters.get() > 1 && !order.isEmpty()) {
                    anyArrived.signal(); // more may have arrived than signals were given
                }
                return s;
            } finally {
                anyWaiters.decrementAndGet();
            }
        } finally {
            anyLock.unlock();
        }
    }

    /**
     * Takes the idle stream with this canonical ID, or returns null at once.
     *
     * @throws PoolClosedException      if the registry is closed
     * @throws IllegalArgumentException if {@code id} is not 8 hex characters
     */
    public PooledStream take(String id) {
        PooledStream s = pollId(id);
        if (s == null) {
            checkOpen();
        }
        return s;
    }

    /**
     * Takes the stream with this canonical ID, waiting up to {@code nanos} for it to arrive; null
     * when it did not come in time.
     *
     * @throws PoolClosedException if the registry is or gets closed
     */
    public PooledStream take(String id, long nanos) throws InterruptedException {
        PooledStream s = take(id);
        if (s != null || nanos <= 0) {
            return s;
        }
        Thread self = Thread.currentThread();
        idWaiterCount.incrementAndGet();
        idWaiters.compute(id, (k, head) -> new IdWaiter(self, head));
        try {
            afterListing();
            long deadline = System.nanoTime() + nanos;
            while ((s = take(id)) == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                LockSupport.parkNanos(this, left);
                if (Thread.interrupted()) {
                    throw new InterruptedException("interrupted while waiting for stream " + id);
                }
            }
            return s;
        } finally {
            idWaiters.computeIfPresent(id, (k, head) -> head.withoutEntryOf(self));
            idWaiterCount.decrementAndGet();
        }
    }

    /** The remover of {@code s} owns it; a stream whose connection ended is closed, not handed out. */
    private boolean claim(PooledStream s) {
        DEPARTED.getAndAdd(this, 1L);
        if (s.connectionOpen()) {
            s.handOut(returned);
            return true;
        }
        evicted.increment();
        s.close();
        return false;
    }

    /** Closes and forgets this stream if it is idle; returns whether it was. */
    public boolean evict(PooledStream s) {
        if (idle.remove(s.key(), s)) {
            DEPARTED.getAndAdd(this, 1L);
            evicted.increment();
            s.close();
            return true;
        }
        return false;
    }

    /** Closes and forgets every idle stream matching {@code which}; returns how many. */
    public int evict(Predicate<PooledStream> which) {
        int[] n = {0};
        idle.forEach(s -> {
            if (which.test(s) && evict(s)) {
                n[0]++;
            }
        });
        return n[0];
    }

    /** Closes and forgets every idle stream. */
    public int flush() {
        return evict(s -> true);
    }

    /**
     * Closes the registry: every waiting take throws {@link PoolClosedException} (an async one
     * completes with it), every idle
     * stream is closed and forgotten, also by the arrival queue, so a closed pool that is still
     * referenced does not keep its streams (and their connections) reachable. Idempotent.
     */
    public void close() {
        closed = true;
        anyLock.lock();
        try {
            anyArrived.signalAll();
        } finally {
            anyLock.unlock();
        }
        for (IdWaiter head : idWaiters.values()) {
            for (IdWaiter w = head; w != null; w = w.next) {
                if (w.async != null) {
                    failClosed(w.async);
                } else {
                    LockSupport.unpark(w.thread);
                }
            }
        }
        for (AsyncTake w; (w = asyncAny.peek()) != null; ) {
            failClosed(w);
        }
        flush();
        while (order.poll() != TicketQueue.NONE) {
            // the tickets of streams taken, evicted or just flushed
        }
    }

    /** True while some thread waits for this ID (for tests and diagnostics). */
    public boolean hasIdWaiter(String id) {
        return idWaiters.containsKey(id);
    }

    /**
     * Takes waiting now, for any stream or by ID: a diagnostic count, read without stopping them,
     * so it may be off by the takes starting or ending meanwhile. A take counts only once it has
     * found nothing and waits.
     */
    public int waiters() {
        return anyWaiters.get() + idWaiterCount.get() + asyncAnyWaiters.get();
    }

    public boolean isClosed() {
        return closed;
    }

    private void checkOpen() {
        if (closed) {
            throw new PoolClosedException("pool closed");
        }
    }

    /**
     * Idle streams: exact once concurrent calls have returned; read meanwhile, off by the calls in
     * flight (never below zero).
     */
    public int active() {
        // Departures first: the arrival of each departed stream is read after it, unless it is still registering.
        long gone = departed;
        return (int) Math.max(0, arrived + arrivedReserved - gone);
    }

    /** Reservations not yet registered or given back. */
    public int reserved() {
        long registered = arrivedReserved; // first: each was counted in reservations before
        return (int) (reservations - registered);
    }

    public long registeredCount() {
        return arrived + arrivedReserved;
    }

    /**
     * Streams handed out by takes: registered, neither idle nor evicted. Exact once concurrent
     * calls have returned; read meanwhile, off by the calls in flight (never below zero).
     */
    public long takenCount() {
        long dropped = evicted.sum(); // first: each eviction departed before it was counted here
        return Math.max(0, departed - dropped);
    }

    public long evictedCount() {
        return evicted.sum();
    }

    /**
     * Streams handed out by takes and not yet closed, read without stopping the pool: off by the
     * takes and closes in flight.
     */
    public long inUse() {
        return Math.max(0, takenCount() - returned.sum());
    }
}
