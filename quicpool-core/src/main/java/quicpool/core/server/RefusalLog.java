// SPDX-License-Identifier: Apache-2.0
package quicpool.core.server;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Reports a server's refusals without letting a flood of them flood the log: the first refusal is
 * written at once, later ones at most one line per interval, each line with the number of refusals
 * since the previous line and the latest refused source as a sample. Refusals after the last line
 * are written by {@link #flush()}. Thread-safe and lock-free; no thread of its own.
 */
final class RefusalLog {
    /** The interval between two lines. */
    static final Duration INTERVAL = Duration.ofSeconds(10);

    private final Supplier<String> server;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final Consumer<String> lines;
    private final AtomicLong unreported = new AtomicLong();
    private final AtomicLong lastLine;
    private final String one;
    private final String many;

    /** A log of refused connection attempts. */
    RefusalLog(Supplier<String> server, Duration interval, LongSupplier nanoClock, Consumer<String> lines) {
        this(server, interval, nanoClock, lines, "connection attempt", "connection attempts");
    }

    /**
     * @param server    how lines name the server, such as {@code "server pool on /127.0.0.1:4433"}
     * @param interval  the least time between two lines
     * @param nanoClock the time, as {@link System#nanoTime()}
     * @param lines     where lines go
     * @param one       what one refusal refused, such as {@code "stream"}
     * @param many      the same in the plural
     */
    RefusalLog(Supplier<String> server, Duration interval, LongSupplier nanoClock, Consumer<String> lines, String one,
               String many) {
        this.one = one;
        this.many = many;
        this.server = server;
        this.intervalNanos = interval.toNanos();
        this.nanoClock = nanoClock;
        this.lines = lines;
        this.lastLine = new AtomicLong(nanoClock.getAsLong() - intervalNanos);
    }

    /** Counts one refusal of {@code source} for {@code reason}; writes a line if the interval has passed. */
    void refused(InetSocketAddress source, String reason) {
        unreported.incrementAndGet();
        long now = nanoClock.getAsLong();
        long last = lastLine.get();
        if (now - last >= intervalNanos && lastLine.compareAndSet(last, now)) {
            write("; the latest from " + source + ": " + reason);
        }
    }

    /** Writes the refusals counted since the last line, if any. */
    void flush() {
        write("");
    }

    private void write(String sample) {
        long n = unreported.getAndSet(0);
        if (n > 0) {
            lines.accept("quicpool " + server.get() + " refused " + n + " " + (n == 1 ? one : many)
                    + " since its last such line" + sample + " (at most one line per " + intervalNanos / 1_000_000L
                    + " ms)");
        }
    }
}
