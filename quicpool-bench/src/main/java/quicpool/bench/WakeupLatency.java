// SPDX-License-Identifier: Apache-2.0
package quicpool.bench;

import java.io.PrintStream;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import quicpool.core.id.StreamIds;
import quicpool.core.registry.StreamRegistry;
import quicpool.core.stream.PooledStream;

/**
 * Wake-up latency of an {@code outgoingGet(id)} that starts before its stream arrives: the time
 * from the arrival (the registration, as a refill or an accept does it) to the return of the get,
 * for quicpool's registry, for the model of the original's 50 ms polling, and for a bare
 * park/unpark of a thread (the floor: what waking a parked thread costs on this machine).
 *
 * <p>Per sample: a waiter thread starts the get; once it waits, the main thread lets a random
 * delay pass (uniform in [0, max delay), so the arrival falls at a random point of a polling
 * period), reads the clock and registers the stream; the waiter reads the clock when its get
 * returns. Warm-up samples are run first and not recorded.
 *
 * <pre>java -cp benchmarks.jar quicpool.bench.WakeupLatency [samples] [model-samples] [max-delay-ms] [warmup]</pre>
 */
public final class WakeupLatency {
    private static final long GET_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);

    private WakeupLatency() {
    }

    /** What a waiter takes by ID and the main thread registers. */
    private interface Subject {
        String name();

        void arrive(String id);

        PooledStream get(String id) throws InterruptedException;

        /** True once the get for {@code id} is waiting (not just called). */
        boolean waiting(String id);
    }

    public static void main(String[] args) throws Exception {
        int samples = arg(args, 0, 400);
        int modelSamples = arg(args, 1, 200);
        int maxDelayMs = arg(args, 2, 50);
        int warmup = arg(args, 3, 2000);
        PrintStream out = System.out;
        out.printf(Locale.ROOT, "wake-up latency, arrival to return; arrival delay uniform in [0, %d ms); %s %s%n",
                maxDelayMs, System.getProperty("java.vm.name"), System.getProperty("java.version"));
        out.printf(Locale.ROOT, "%-26s %8s %10s %10s %10s %10s %10s %14s%n",
                "subject", "samples", "p50 us", "p90 us", "p99 us", "max us", "mean us", "arrive p50 us");
        report(out, run(quicpool(), samples, maxDelayMs, warmup));
        report(out, run(bareUnpark(), samples, maxDelayMs, warmup));
        report(out, run(goModel(), modelSamples, maxDelayMs, Math.max(1, warmup / 100)));
    }

    private static final String USAGE = "usage: [samples >= 1] [model-samples >= 1] [max-delay-ms >= 0] [warmup >= 0]";

    private static int arg(String[] args, int i, int fallback) {
        if (args.length <= i) {
            return fallback;
        }
        int least = i < 2 ? 1 : 0;
        int v;
        try {
            v = Integer.parseInt(args[i]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("argument " + (i + 1) + " must be a whole number, was \"" + args[i]
                    + "\" (" + USAGE + ")");
        }
        if (v < least) {
            throw new IllegalArgumentException("argument " + (i + 1) + " must be >= " + least + ", was " + v
                    + " (" + USAGE + ")");
        }
        return v;
    }

    private static Subject quicpool() {
        StreamRegistry registry = new StreamRegistry(Streams.POOL_SIZE);
        return new Subject() {
            @Override
            public String name() {
                return "quicpool take(id, timeout)";
            }

            @Override
            public void arrive(String id) {
                registry.register(Streams.fresh(id, Streams.CONNECTION));
            }

            @Override
            public PooledStream get(String id) throws InterruptedException {
                return registry.take(id, GET_TIMEOUT_NANOS);
            }

            @Override
            public boolean waiting(String id) {
                return registry.hasIdWaiter(id);
            }
        };
    }

    /**
     * The floor of any wake-up on this machine: a parked thread, a volatile write and {@link
     * LockSupport#unpark}, with no pool at all.
     */
    private static Subject bareUnpark() {
        PooledStream token = Streams.fresh(StreamIds.toText(0), Streams.CONNECTION);
        return new Subject() {
            private volatile String arrived;
            private volatile String calling;
            private volatile Thread waiter;

            @Override
            public String name() {
                return "floor: bare park/unpark";
            }

            @Override
            public void arrive(String id) {
                arrived = id;
                LockSupport.unpark(waiter);
            }

            @Override
            public PooledStream get(String id) {
                waiter = Thread.currentThread();
                calling = id;
                long deadline = System.nanoTime() + GET_TIMEOUT_NANOS;
                while (!id.equals(arrived)) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return null;
                    }
                    LockSupport.parkNanos(this, left);
                }
                return token;
            }

            @Override
            public boolean waiting(String id) {
                return id.equals(calling);
            }
        };
    }

    private static Subject goModel() {
        GoModelPool pool = new GoModelPool(GoModelPool.STREAMS_PER_SHARD);
        return new Subject() {
            private volatile String calling;

            @Override
            public String name() {
                return "Go model, 50 ms polling";
            }

            @Override
            public void arrive(String id) {
                pool.put(Streams.fresh(id, pool.shard(0)));
            }

            @Override
            public PooledStream get(String id) throws InterruptedException {
                calling = id;
                return pool.outgoingGet(id, GET_TIMEOUT_NANOS);
            }

            @Override
            public boolean waiting(String id) {
                return id.equals(calling); // it polls from its first look on
            }
        };
    }

    /** Arrival to return, and the part of it spent in the arrival call itself (the registration). */
    private record Result(String name, Histogram histogram, Histogram arrival) {
    }

    private static Result run(Subject subject, int samples, int maxDelayMs, int warmup) throws Exception {
        Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        Histogram arrival = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        runSamples(subject, warmup, maxDelayMs == 0 ? 0 : 1, null, null, 1);
        runSamples(subject, samples, maxDelayMs, histogram, arrival, 1 + warmup);
        return new Result(subject.name(), histogram, arrival);
    }

    /** Runs {@code n} samples with IDs from {@code firstId}; records them unless {@code histogram} is null. */
    private static void runSamples(Subject subject, int n, int maxDelayMs, Histogram histogram,
                                   Histogram arrivalCall, int firstId) throws Exception {
        Semaphore done = new Semaphore(0);
        long[] arrival = new long[1];
        Throwable[] failure = new Throwable[1];
        Thread waiter = new Thread(() -> {
            try {
                for (int i = 0; i < n; i++) {
                    String id = StreamIds.toText(firstId + i);
                    PooledStream s = subject.get(id);
                    long returned = System.nanoTime();
                    if (s == null) {
                        throw new IllegalStateException("stream " + id + " did not arrive within 5 s");
                    }
                    if (histogram != null) {
                        histogram.recordValue(returned - arrival[0]); // written before the arrival, read after it
                    }
                    done.release();
                }
            } catch (Throwable e) {
                failure[0] = e;
                done.release();
            }
        }, "wakeup-waiter");
        waiter.setDaemon(true);
        waiter.start();
        SplittableRandom random = new SplittableRandom(42);
        long maxDelayNanos = TimeUnit.MILLISECONDS.toNanos(maxDelayMs);
        for (int i = 0; i < n; i++) {
            String id = StreamIds.toText(firstId + i);
            awaitWaiting(subject, id, failure);
            if (maxDelayNanos > 0) {
                LockSupport.parkNanos(random.nextLong(maxDelayNanos));
            }
            long now = System.nanoTime();
            arrival[0] = now;
            subject.arrive(id); // publishes arrival[0] to the waiter (the registry's map is the fence)
            if (arrivalCall != null) {
                arrivalCall.recordValue(System.nanoTime() - now);
            }
            if (!done.tryAcquire(10, TimeUnit.SECONDS) || failure[0] != null) {
                throw new IllegalStateException(subject.name() + ": sample " + i + " failed", failure[0]);
            }
        }
        waiter.join(TimeUnit.SECONDS.toMillis(10));
    }

    /** The harness's only spin: until the waiter's get is really waiting (bounded by 5 s). */
    private static void awaitWaiting(Subject subject, String id, Throwable[] failure) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!subject.waiting(id)) {
            if (failure[0] != null || System.nanoTime() > deadline) {
                throw new IllegalStateException(subject.name() + ": the waiter for " + id + " never waited",
                        failure[0]);
            }
            Thread.yield();
        }
    }

    private static void report(PrintStream out, Result r) {
        Histogram h = r.histogram();
        out.printf(Locale.ROOT, "%-26s %8d %10.1f %10.1f %10.1f %10.1f %10.1f %14.1f%n", r.name(), h.getTotalCount(),
                us(h.getValueAtPercentile(50)), us(h.getValueAtPercentile(90)), us(h.getValueAtPercentile(99)),
                us(h.getMaxValue()), h.getMean() / 1000.0, us(r.arrival().getValueAtPercentile(50)));
    }

    private static double us(long nanos) {
        return nanos / 1000.0;
    }
}
