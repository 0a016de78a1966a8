// SPDX-License-Identifier: Apache-2.0
package quicpool.examples;

import java.util.Arrays;

/** Nearest-rank percentiles of recorded latencies, in nanoseconds. */
public final class Percentiles {
    private final long[] values;
    private int size;

    /** Room for {@code capacity} values; later ones are dropped. */
    public Percentiles(int capacity) {
        values = new long[capacity];
    }

    /** Records one latency. */
    public synchronized void record(long nanos) {
        if (size < values.length) {
            values[size++] = nanos;
        }
    }

    /** "p50 1.2 us  p99 ...", sorted once. */
    public synchronized String summary() {
        long[] v = Arrays.copyOf(values, size);
        Arrays.sort(v);
        return String.format("p50 %s  p99 %s  p99.9 %s  max %s", at(v, 0.50), at(v, 0.99), at(v, 0.999),
                v.length == 0 ? "-" : human(v[v.length - 1]));
    }

    private static String at(long[] sorted, double q) {
        if (sorted.length == 0) {
            return "-";
        }
        int rank = (int) Math.ceil(q * sorted.length) - 1;
        return human(sorted[Math.max(0, rank)]);
    }

    private static String human(long nanos) {
        if (nanos < 10_000) {
            return nanos + " ns";
        }
        if (nanos < 10_000_000) {
            return String.format("%.1f us", nanos / 1e3);
        }
        return String.format("%.1f ms", nanos / 1e6);
    }
}
