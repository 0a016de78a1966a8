// SPDX-License-Identifier: Apache-2.0
package quicpool.bench.e2e;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import quicpool.api.spi.Capability;
import quicpool.api.spi.QuicTransport;
import quicpool.api.spi.TransportConnection;

/**
 * What QUIC Retry ({@code ServerPoolBuilder.retry(true)}) adds to a dial on loopback, per
 * transport: the time of {@code connect} (QUIC and TLS 1.3 handshake, plus the Retry round trip
 * when on) to a raw listener with Retry off and to one with it on, dials alternating between the
 * two so that both see the same machine. Warm-up dials come first and are not recorded; dials
 * start at a fixed rate (one per period). Percentiles from HdrHistogram. A transport that does not
 * claim {@code Capability.RETRY} (Kwik) gets one row saying so.
 *
 * <pre>java -cp benchmarks.jar quicpool.bench.e2e.RetryDialLatency kwik,netty [samples] [warmup] [period-us]</pre>
 */
public final class RetryDialLatency {
    private static final String USAGE = "RetryDialLatency <kwik|netty|kwik,netty> [samples per mode >= 1, default 500]"
            + " [warmup per mode >= 0, default 200] [period us >= 1, default 5000]";

    private RetryDialLatency() {
    }

    public static void main(String[] args) {
        Report.run("RetryDialLatency", () -> {
            Args a = new Args(args, USAGE);
            var transports = a.transports();
            int samples = a.integer(1, "samples per mode", 500, 1);
            int warmup = a.integer(2, "warmup per mode", 200, 0);
            long period = TimeUnit.MICROSECONDS.toNanos(a.integer(3, "period us", 5000, 1));
            Report.line("Dial latency with QUIC Retry off and on; %d dials each after %d warm-up, one every %d us; %s",
                    samples, warmup, TimeUnit.NANOSECONDS.toMicros(period), Report.machine());
            Report.line("");
            Report.line("| transport | Retry | count | p50 us | p90 us | p99 us | max us | p50 on / off |");
            Report.line("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
            for (String t : transports) {
                if (!Transports.fresh(t).capabilities().contains(Capability.RETRY)) {
                    Report.line("| %s | on | - | - | - | - | - | the transport does not claim Capability.RETRY |", t);
                    continue;
                }
                Histogram off = Report.histogram();
                Histogram on = Report.histogram();
                measure(t, samples, warmup, period, off, on);
                row(t, "off", off, "");
                row(t, "on", on, Report.ratio(on.getValueAtPercentile(50), off.getValueAtPercentile(50)));
            }
            Report.line("");
            Report.line("After: %s", Report.machine());
        });
    }

    private static void row(String transport, String retry, Histogram h, String ratio) {
        Report.line("| %s | %s | %d | %s | %s | %s | %s | %s |", transport, retry, h.getTotalCount(),
                Report.us(h.getValueAtPercentile(50)), Report.us(h.getValueAtPercentile(90)),
                Report.us(h.getValueAtPercentile(99)), Report.us(h.getMaxValue()), ratio);
    }

    private static void measure(String transport, int samples, int warmup, long period, Histogram off, Histogram on)
            throws Exception {
        QuicTransport dialer = Transports.fresh(transport);
        try (RawListener plain = RawListener.start(transport, false);
             RawListener retrying = RawListener.start(transport, true)) {
            Pacer pacer = new Pacer(period);
            for (int i = -warmup; i < samples; i++) {
                long plainNanos = dial(dialer, plain, pacer);
                long retryNanos = dial(dialer, retrying, pacer);
                if (i >= 0) {
                    off.recordValue(plainNanos);
                    on.recordValue(retryNanos);
                }
            }
        }
    }

    /** One dial, timed from {@code connect} until it returns a connection, then closed. */
    private static long dial(QuicTransport dialer, RawListener listener, Pacer pacer) throws Exception {
        pacer.await();
        long t0 = System.nanoTime();
        TransportConnection conn = dialer.connect(Loopback.dialSpec(listener.address()));
        long t1 = System.nanoTime();
        conn.close(0, "benchmark over");
        return t1 - t0;
    }
}
