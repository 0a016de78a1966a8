// SPDX-License-Identifier: Apache-2.0
package quicpool.examples.tunnel;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The tunnel server's WARNING about refused control connections, at most one line per interval: a
 * stranger who knocks on the control port again and again must not fill the log. The first
 * refusal is written at once; later ones are counted, and the next line, once the interval has
 * passed, gives their number with the latest as a sample; {@link #flush()} writes what is still
 * counted. (The library's server pool limits its own refusal lines the same way, in code the
 * examples cannot reach: they use only the public API.) Thread-safe.
 */
final class RefusedControlLog {
    /** The least time between two lines. */
    static final Duration INTERVAL = Duration.ofSeconds(10);

    private final Consumer<String> warnings;
    private final LongSupplier nanoClock;
    private final long intervalNanos;
    // guarded by this
    private long counted;
    private long lastWritten;
    private boolean written;

    /**
     * @param warnings  where lines go, as WARNING
     * @param interval  the least time between two lines
     * @param nanoClock the time, as {@link System#nanoTime()}
     */
    RefusedControlLog(Consumer<String> warnings, Duration interval, LongSupplier nanoClock) {
        this.warnings = warnings;
        this.intervalNanos = interval.toNanos();
        this.nanoClock = nanoClock;
    }

    /** A control connection from {@code from} was refused for {@code why}. */
    synchronized void refused(InetSocketAddress from, String why) {
        counted++;
        long now = nanoClock.getAsLong();
        if (!written || now - lastWritten >= intervalNanos) {
            written = true;
            lastWritten = now;
            emit("; the latest from " + from + ": " + why);
        }
    }

    /** Writes the refusals counted since the last line, if any. */
    synchronized void flush() {
        emit("");
    }

    private void emit(String sample) {
        if (counted == 0) {
            return;
        }
        String what = counted == 1 ? " control connection" : " control connections";
        warnings.accept("refused " + counted + what + " since the last such line" + sample
                + " (at most one line per " + intervalNanos / 1_000_000_000L + " s)");
        counted = 0;
    }
}
