// SPDX-License-Identifier: Apache-2.0
package quicpool.bench.scale;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Heap, threads and bounded waits for the scale measurements. */
final class Resources {
    private Resources() {
    }

    /** Heap in use after asking for a full collection a few times, in bytes. */
    static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Live threads of the JVM. */
    static int threads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    /**
     * Re-checks {@code condition} every millisecond until it holds (the figures measured with it
     * are milliseconds to seconds long).
     *
     * @throws IllegalStateException naming {@code what} and the {@code state} when {@code bound} passes first
     */
    static void await(String what, Duration bound, BooleanSupplier condition, Supplier<Object> state) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("not within " + bound + ": " + what + "; " + state.get());
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
