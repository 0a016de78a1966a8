// SPDX-License-Identifier: Apache-2.0
package quicpool.bench.e2e;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import quicpool.api.ClientPool;
import quicpool.api.ServerPool;
import quicpool.api.StreamConn;
import quicpool.api.spi.QuicTransport;
import quicpool.api.spi.TransportConnection;
import quicpool.api.spi.TransportStream;

/**
 * Acquire latency on loopback, per transport: what it costs to get a stream ready for data.
 *
 * <ol>
 *   <li><b>pool</b>: {@code incomingGet} on a started client pool kept filled by its own refill
 *       (take, then the server pool's {@code outgoingGet(id)} of the same stream, timed apart,
 *       then both closed: the pool refills as it goes);</li>
 *   <li><b>fresh stream</b>: on one warm connection dialed through the transport's SPI, open a
 *       stream, write {@code 0x00}, read the 4-byte ID from a raw listener (what a pool's refill
 *       does for each stream);</li>
 *   <li><b>fresh connection</b>: dial (QUIC + TLS 1.3 handshake), then the same stream and ID.</li>
 * </ol>
 *
 * <p>Operations start at a fixed rate (one per period), so the pool sees a steady demand it can
 * follow, as a tunnel would; warm-up operations come first and are not recorded. Percentiles
 * from HdrHistogram; "pool empty" counts takes that found no idle stream.
 *
 * <pre>java -cp benchmarks.jar quicpool.bench.e2e.AcquireLatency kwik,netty [samples] [connection-samples] [warmup] [period-us]</pre>
 */
public final class AcquireLatency {
    private static final String USAGE = "AcquireLatency <kwik|netty|kwik,netty> [samples >= 1, default 5000]"
            + " [connection samples >= 1, default 300] [warmup >= 0, default 1000] [period us >= 1, default 1000]";

    private AcquireLatency() {
    }

    public static void main(String[] args) {
        Report.run("AcquireLatency", () -> {
            Args a = new Args(args, USAGE);
            var transports = a.transports();
            int samples = a.integer(1, "samples", 5000, 1);
            int connSamples = a.integer(2, "connection samples", 300, 1);
            int warmup = a.integer(3, "warmup", 1000, 0);
            long period = TimeUnit.MICROSECONDS.toNanos(a.integer(4, "period us", 1000, 1));
            Report.line("Acquire latency; %d samples (%d for fresh connections) after %d warm-up, one every %d us; %s",
                    samples, connSamples, warmup, TimeUnit.NANOSECONDS.toMicros(period), Report.machine());
            Report.line("");
            Report.line("| transport | acquire | count | p50 us | p99 us | p99.9 us | max us | pool empty |");
            Report.line("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
            StringBuilder ratios = new StringBuilder();
            for (String t : transports) {
                Result r = measure(t, samples, connSamples, warmup, period);
                row(t, "pool: client `incomingGet`", r.poolAny, Long.toString(r.empty));
                row(t, "pool: server `outgoingGet(id)`", r.poolById, "");
                row(t, "fresh stream + ID on a warm connection", r.stream, "");
                row(t, "fresh connection + stream + ID", r.connection, "");
                ratios.append(ratioRow(t, "client `incomingGet`", r.poolAny, r));
                ratios.append(ratioRow(t, "server `outgoingGet(id)`", r.poolById, r));
            }
            Report.line("");
            Report.line("| transport | pool get | pool p50 us | fresh stream p50 us | fresh stream / pool (target >= 100) "
                    + "| fresh connection p50 us | fresh connection / pool (target >= 1000) |");
            Report.line("| --- | --- | ---: | ---: | ---: | ---: | ---: |");
            System.out.print(ratios);
            Report.line("");
            Report.line("After: %s", Report.machine());
        });
    }

    private record Result(Histogram poolAny, Histogram poolById, Histogram stream, Histogram connection, long empty) {
    }

    private static String ratioRow(String transport, String get, Histogram poolGet, Result r) {
        long pool = poolGet.getValueAtPercentile(50);
        long stream = r.stream.getValueAtPercentile(50);
        long conn = r.connection.getValueAtPercentile(50);
        return String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |%n", transport, get, Report.us(pool),
                Report.us(stream), Report.ratio(stream, pool), Report.us(conn), Report.ratio(conn, pool));
    }

    private static void row(String transport, String what, Histogram h, String empty) {
        Report.line("| %s | %s | %d | %s | %s | %s | %s | %s |", transport, what, h.getTotalCount(),
                Report.us(h.getValueAtPercentile(50)), Report.us(h.getValueAtPercentile(99)),
                Report.us(h.getValueAtPercentile(99.9)), Report.us(h.getMaxValue()), empty);
    }

    private static Result measure(String transport, int samples, int connSamples, int warmup, long period)
            throws Exception {
        Histogram any = Report.histogram();
        Histogram byId = Report.histogram();
        long empty = pool(transport, samples, warmup, period, any, byId);
        Histogram stream = Report.histogram();
        Histogram connection = Report.histogram();
        try (RawListener listener = RawListener.start(transport)) {
            QuicTransport client = Transports.fresh(transport);
            freshStreams(client, listener, samples, warmup, period, stream);
            freshConnections(client, listener, connSamples, Math.max(3, Math.min(warmup, connSamples / 5)), period,
                    connection);
        }
        return new Result(any, byId, stream, connection, empty);
    }

    /** Returns how many recorded takes found the pool empty. */
    private static long pool(String transport, int samples, int warmup, long period, Histogram any, Histogram byId)
            throws Exception {
        long empty = 0;
        try (ServerPool server = Loopback.server(transport, 256);
             ClientPool client = Loopback.client(transport, server, 64, 128).build()) {
            client.start();
            Loopback.awaitActive(client, 64);
            Pacer pacer = new Pacer(period);
            for (int i = -warmup; i < samples; i++) {
                pacer.await();
                boolean wasEmpty = client.active() == 0;
                long t0 = System.nanoTime();
                StreamConn c = client.incomingGet(Loopback.TIMEOUT);
                long t1 = System.nanoTime();
                StreamConn s = server.outgoingGet(c.id(), Loopback.TIMEOUT);
                long t2 = System.nanoTime();
                c.close();
                s.close();
                if (i >= 0) {
                    any.recordValue(t1 - t0);
                    byId.recordValue(t2 - t1);
                    empty += wasEmpty ? 1 : 0;
                }
            }
        }
        return empty;
    }

    private static void freshStreams(QuicTransport transport, RawListener listener, int samples, int warmup,
                                     long period, Histogram h) throws Exception {
        TransportConnection conn = transport.connect(Loopback.dialSpec(listener.address()));
        try {
            Pacer pacer = new Pacer(period);
            for (int i = -warmup; i < samples; i++) {
                pacer.await();
                long t0 = System.nanoTime();
                long t1;
                try (TransportStream st = conn.openStream(Loopback.TIMEOUT)) {
                    RawListener.handshake(st, Loopback.TIMEOUT);
                    t1 = System.nanoTime();
                }
                if (i >= 0) {
                    h.recordValue(t1 - t0);
                }
            }
        } finally {
            conn.close(0, "benchmark over");
        }
    }

    private static void freshConnections(QuicTransport transport, RawListener listener, int samples, int warmup,
                                         long period, Histogram h) throws Exception {
        Pacer pacer = new Pacer(period);
        for (int i = -warmup; i < samples; i++) {
            pacer.await();
            long t0 = System.nanoTime();
            TransportConnection conn = transport.connect(Loopback.dialSpec(listener.address()));
            long t1;
            try (TransportStream st = conn.openStream(Loopback.TIMEOUT)) {
                RawListener.handshake(st, Loopback.TIMEOUT);
                t1 = System.nanoTime();
            } finally {
                conn.close(0, "benchmark over");
            }
            if (i >= 0) {
                h.recordValue(t1 - t0);
            }
        }
    }
}
