// SPDX-License-Identifier: Apache-2.0
package quicpool.bench.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/** Printing: the machine line, Markdown rows, medians. */
final class Report {
    private Report() {
    }

    /** A histogram of nanoseconds up to one minute, 3 significant digits. */
    static Histogram histogram() {
        return new Histogram(60_000_000_000L, 3);
    }

    /** One line on the JVM, the cores and the load: printed before and after each program. */
    static String machine() {
        return String.format(Locale.ROOT, "%s %s, %d cores, load average %s",
                System.getProperty("java.vm.name"), System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), loadAverage());
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown (" + e + ")";
        }
    }

    static void line(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
    }

    /** Microseconds with one decimal. */
    static String us(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1000.0);
    }

    /** Milliseconds with two decimals. */
    static String ms(double nanos) {
        return String.format(Locale.ROOT, "%.2f", nanos / 1e6);
    }

    static String ratio(double a, double b) {
        if (b == 0) {
            return "n/a";
        }
        double r = a / b;
        return String.format(Locale.ROOT, r >= 100 ? "%,.0f" : r >= 10 ? "%.1f" : "%.2f", r);
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    /** Runs the program body; prints a failure and exits 1, or exits 0 (Kwik's keep-alive threads linger otherwise). */
    static void run(String program, Body body) {
        int status = 0;
        try {
            QuietLogging.apply();
            body.run();
        } catch (Throwable e) {
            System.err.println(program + " failed: " + e);
            e.printStackTrace();
            status = 1;
        }
        System.out.flush();
        // Kwik's keep-alive thread of an ended connection is no daemon and lingers until its next ping
        System.exit(status);
    }

    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }
}
