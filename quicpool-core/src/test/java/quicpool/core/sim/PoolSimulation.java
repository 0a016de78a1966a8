// SPDX-License-Identifier: Apache-2.0
package quicpool.core.sim;

import java.time.Duration;
import java.util.Arrays;
import java.util.function.LongSupplier;
import quicpool.core.control.RefillController;
import quicpool.core.control.RefillCycle;
import quicpool.core.registry.StreamRegistry;
import quicpool.core.stream.PooledStream;

/**
 * Replays a demand trace against a client pool's refill machinery in virtual time.
 *
 * <p>Real parts: the controller under test, the {@link RefillCycle} the pool's refill loop uses,
 * and a {@link StreamRegistry} holding {@link PooledStream}s. Modelled parts, step for step after
 * {@code CoreClientPool}: the refill loop runs a cycle, then waits {@code controller.interval()}
 * unless a take asked for a wake (a wake during a cycle makes the next one start at once); a cycle
 * opens {@code need} streams, which all register one open latency later (the pool pipelines a
 * shard's handshakes: open, send every byte, read every ID, so a batch costs one round trip);
 * cycles do not overlap. A take that finds the pool empty waits, in arrival order, for the next
 * stream to register, and like a blocked {@code incomingGet} it tells the controller only once it
 * has its stream. Not modelled: dialing (connections are up), the 128-streams-per-connection
 * credit (taken streams are not counted against it), transport failures.
 */
final class PoolSimulation {

    /** The pool's bounds, as the builder's {@code capacity(min, max)} and {@code refillInterval(min, max)}. */
    record Bounds(int minCapacity, int maxCapacity, Duration minInterval, Duration maxInterval) {
    }

    /** Makes the controller under test; it must take its time from {@code clock}. */
    interface ControllerFactory {
        RefillController make(Bounds bounds, LongSupplier clock);
    }

    private final DemandTrace trace;
    private final long openLatency;
    private final VirtualClock clock = new VirtualClock();
    private final RefillController controller;
    private final RefillCycle cycle;
    private final StreamRegistry registry;
    private final SimStreams streams = new SimStreams();

    private final LongRing waiting = new LongRing();
    private final LongList waits = new LongList();
    private final LongList missTimes = new LongList();
    private final LongList capacityTimes = new LongList();
    private final LongList capacityValues = new LongList();
    private boolean wakeRequested;
    private long misses;
    private long opened;
    private long cycles;
    private double idleStreamNanos;

    private PoolSimulation(DemandTrace trace, Duration openLatency, Bounds bounds, ControllerFactory factory) {
        this.trace = trace;
        this.openLatency = openLatency.toNanos();
        this.controller = factory.make(bounds, clock);
        this.cycle = new RefillCycle(controller, clock);
        this.registry = new StreamRegistry(bounds.maxCapacity());
    }

    static SimResult run(DemandTrace trace, Duration openLatency, Bounds bounds, String controllerName,
                         ControllerFactory factory) {
        return new PoolSimulation(trace, openLatency, bounds, factory).run(controllerName);
    }

    private SimResult run(String controllerName) {
        long[] takes = trace.takes();
        int next = 0;
        boolean cycleRunning = false;
        long cycleEnd = 0;
        int inFlight = 0;
        long sleepUntil = 0; // the pool's refill loop starts with a cycle
        while (true) {
            long takeAt = next < takes.length ? takes[next] : Long.MAX_VALUE;
            long loopAt = cycleRunning ? cycleEnd : wakeRequested ? clock.getAsLong() : sleepUntil;
            if (next == takes.length && waiting.isEmpty() && loopAt >= trace.durationNanos()) {
                advanceTo(Math.max(clock.getAsLong(), trace.durationNanos()));
                break; // every take served and the trace is over
            }
            if (loopAt <= takeAt) {
                advanceTo(loopAt);
                if (cycleRunning) {
                    cycleRunning = false;
                    registerAndServe(inFlight);
                    cycle.end(inFlight);
                    sleepUntil = clock.getAsLong() + controller.interval().toNanos();
                } else {
                    wakeRequested = false;
                    cycles++;
                    cycle.begin(registry.active());
                    capacityTimes.add(clock.getAsLong());
                    capacityValues.add(controller.capacity());
                    inFlight = cycle.need(registry.active());
                    if (inFlight > 0) {
                        cycleRunning = true;
                        cycleEnd = clock.getAsLong() + openLatency;
                    } else {
                        cycle.end(0);
                        sleepUntil = clock.getAsLong() + controller.interval().toNanos();
                    }
                }
            } else {
                advanceTo(takeAt);
                next++;
                take(takeAt);
            }
        }
        return new SimResult(trace.name(), controllerName, Duration.ofNanos(openLatency), takes.length, misses,
                waits.toArray(), missTimes.toArray(), idleStreamNanos / 1e9, opened, registry.active(), cycles,
                capacityTimes.toArray(), capacityValues.toArray());
    }

    private void advanceTo(long t) {
        long now = clock.getAsLong();
        long end = Math.min(t, trace.durationNanos());
        if (end > now) {
            idleStreamNanos += (double) registry.active() * (end - now);
        }
        clock.advanceTo(Math.max(now, t));
    }

    private void take(long at) {
        if (waiting.isEmpty()) {
            PooledStream s = registry.takeAny();
            if (s != null) {
                tookOne(0);
                return;
            }
        }
        misses++;
        missTimes.add(at);
        waiting.add(at);
    }

    private void registerAndServe(int n) {
        for (int i = 0; i < n; i++) {
            if (!registry.register(streams.next())) {
                throw new IllegalStateException("the registry refused a fresh stream");
            }
            opened++;
            if (!waiting.isEmpty()) {
                if (registry.takeAny() == null) {
                    throw new IllegalStateException("a stream just registered is not there");
                }
                tookOne(clock.getAsLong() - waiting.poll());
            }
        }
    }

    private void tookOne(long waitedNanos) {
        if (waitedNanos > 0) {
            waits.add(waitedNanos);
        }
        if (controller.onTake(registry.active())) {
            wakeRequested = true;
        }
    }

    /** A growable array of longs. */
    static final class LongList {
        private long[] a = new long[256];
        private int n;

        void add(long v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, 2 * n);
            }
            a[n++] = v;
        }

        long[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }

    /** A FIFO of longs. */
    static final class LongRing {
        private long[] a = new long[256];
        private int head;
        private int size;

        boolean isEmpty() {
            return size == 0;
        }

        void add(long v) {
            if (size == a.length) {
                long[] b = new long[2 * size];
                for (int i = 0; i < size; i++) {
                    b[i] = a[(head + i) % a.length];
                }
                a = b;
                head = 0;
            }
            a[(head + size++) % a.length] = v;
        }

        long poll() {
            if (size == 0) {
                throw new IllegalStateException("empty");
            }
            long v = a[head];
            head = (head + 1) % a.length;
            size--;
            return v;
        }
    }
}
