// SPDX-License-Identifier: Apache-2.0
package quicpool.core.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;

/**
 * A demand trace: the instants at which someone takes a stream from the pool. Takes arrive as a
 * Poisson process whose rate follows the trace's shape; a fixed seed makes every run identical.
 *
 * @param name        how reports call it
 * @param durationNanos the trace's length; metrics are integrated over it
 * @param takes       the take instants, ascending, in nanoseconds from the start
 * @param burstNanos  when the trace's burst starts, or -1 if it has none
 */
record DemandTrace(String name, long durationNanos, long[] takes, long burstNanos) {
    private static final long NANOS = 1_000_000_000L;

    /** 100 takes/s for 60 s. */
    static DemandTrace steady() {
        return new Shape("steady 100/s").constant(0, 60, 100).build(1, -1);
    }

    /** 10 takes/s for 20 s, 500 takes/s for 20 s, 10 takes/s for 20 s. */
    static DemandTrace stepBurst() {
        return new Shape("step 10->500/s").constant(0, 20, 10).constant(20, 40, 500).constant(40, 60, 10).build(2, 20);
    }

    /** Six 10 s teeth: the rate climbs from 10 to 400 takes/s, then drops back at once. */
    static DemandTrace sawtooth() {
        return new Shape("sawtooth 10..400/s").varying(0, 60, t -> 10 + 390 * ((t % 10) / 10), 400).build(3, -1);
    }

    /**
     * 24 hours at 0.2 takes/s with one spike an hour at a random minute: 2 to 20 s of 100 to
     * 1000 takes/s on top.
     */
    static DemandTrace quietDay() {
        SplittableRandom r = new SplittableRandom(4);
        Shape s = new Shape("quiet day + spikes");
        double t = 0;
        for (int hour = 0; hour < 24; hour++) {
            double start = hour * 3600 + r.nextDouble(0, 3500);
            double end = start + r.nextDouble(2, 20);
            double rate = r.nextDouble(100, 1000);
            s.constant(t, start, 0.2).constant(start, end, 0.2 + rate);
            t = end;
        }
        return s.constant(t, 24 * 3600, 0.2).build(5, -1);
    }

    static List<DemandTrace> all() {
        return List.of(steady(), stepBurst(), sawtooth(), quietDay());
    }

    double durationSeconds() {
        return durationNanos / 1e9;
    }

    @Override
    public String toString() {
        return name + " (" + takes.length + " takes over " + durationSeconds() + " s)";
    }

    /** Piecewise rate shapes, sampled by thinning a Poisson process of each piece's peak rate. */
    static final class Shape {
        private final String name;
        private final List<double[]> bounds = new ArrayList<>();
        private final List<DoubleUnaryOperator> rates = new ArrayList<>();
        private final List<Double> peaks = new ArrayList<>();

        Shape(String name) {
            this.name = name;
        }

        Shape constant(double from, double to, double rate) {
            return varying(from, to, t -> rate, rate);
        }

        Shape varying(double from, double to, DoubleUnaryOperator rate, double peak) {
            if (!(to >= from) || !(peak > 0)) {
                throw new IllegalArgumentException("piece [" + from + ", " + to + ") at peak " + peak
                        + ": expected from <= to and a positive peak rate");
            }
            bounds.add(new double[] {from, to});
            rates.add(rate);
            peaks.add(peak);
            return this;
        }

        DemandTrace build(long seed, double burstSeconds) {
            SplittableRandom r = new SplittableRandom(seed);
            long[] out = new long[1024];
            int n = 0;
            double end = 0;
            for (int i = 0; i < bounds.size(); i++) {
                double from = bounds.get(i)[0];
                double to = bounds.get(i)[1];
                double peak = peaks.get(i);
                end = Math.max(end, to);
                for (double t = from - Math.log(1 - r.nextDouble()) / peak; t < to; t -= Math.log(1 - r.nextDouble()) / peak) {
                    if (r.nextDouble() * peak < rates.get(i).applyAsDouble(t)) {
                        if (n == out.length) {
                            out = Arrays.copyOf(out, 2 * n);
                        }
                        out[n++] = (long) (t * NANOS);
                    }
                }
            }
            long[] takes = Arrays.copyOf(out, n);
            Arrays.sort(takes);
            return new DemandTrace(name, (long) (end * NANOS), takes,
                    burstSeconds < 0 ? -1 : (long) (burstSeconds * NANOS));
        }
    }
}
