// SPDX-License-Identifier: Apache-2.0
package quicpool.examples;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** Latency percentiles of the demos, recorded from many threads into an HdrHistogram. */
public final class Percentiles {
    /** 1 ns to 1 minute, 3 significant digits. */
    private static final long HIGHEST = TimeUnit.MINUTES.toNanos(1);

    private final Histogram total = new Histogram(HIGHEST, 3);
    private final Recorder recorder = new Recorder(HIGHEST, 3);

    /** Records one latency in nanoseconds; values beyond a minute count as a minute. Thread-safe. */
    public void record(long nanos) {
        recorder.recordValue(Math.max(1, Math.min(nanos, HIGHEST)));
    }

    /** "p50 1.2 us  p99 ...  max ...", of everything recorded so far. */
    public synchronized String summary() {
        total.add(recorder.getIntervalHistogram());
        if (total.getTotalCount() == 0) {
            return "p50 -  p99 -  p99.9 -  max -";
        }
        return String.format("p50 %s  p99 %s  p99.9 %s  max %s", human(total.getValueAtPercentile(50)),
                human(total.getValueAtPercentile(99)), human(total.getValueAtPercentile(99.9)),
                human(total.getMaxValue()));
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
