// SPDX-License-Identifier: Apache-2.0
package quicpool.bench.e2e;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.OptionalDouble;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The machine's 1-minute load average (as the JDK reads it: {@code /proc/loadavg} on Linux), the
 * figure {@code ../shared/tools/quiet} judges a run by: a wait for it to fall before a measurement,
 * and its peak during one, sampled every 5 s as the kernel updates it.
 */
final class MachineLoad implements AutoCloseable {
    private static final Duration SAMPLE = Duration.ofSeconds(5);

    private final double start;
    private volatile double peak;
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "load-sampler");
        t.setDaemon(true);
        return t;
    });

    private MachineLoad(double start) {
        this.start = start;
        this.peak = start;
        sampler.scheduleAtFixedRate(() -> oneMinute().ifPresent(l -> peak = Math.max(peak, l)),
                SAMPLE.toMillis(), SAMPLE.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The 1-minute load average now, or empty where the platform has none. */
    static OptionalDouble oneMinute() {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return load < 0 ? OptionalDouble.empty() : OptionalDouble.of(load);
    }

    /**
     * Waits until the load average is below {@code below}, at most {@code bound}, checking it every
     * second (the kernel offers no notification); returns at once where there is no load average.
     *
     * @return whether the load fell below {@code below} in time
     */
    static boolean settle(double below, Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        for (OptionalDouble l = oneMinute(); l.isPresent() && l.getAsDouble() >= below; l = oneMinute()) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            Thread.sleep(1000);
        }
        return true;
    }

    /** Starts watching: the load now, and its peak until {@link #close()}. */
    static MachineLoad watch() {
        return new MachineLoad(oneMinute().orElse(Double.NaN));
    }

    /** The load average when the watch started (NaN where there is none). */
    double start() {
        return start;
    }

    /** The highest load average seen since the watch started, its start included. */
    double peak() {
        return peak;
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }
}
