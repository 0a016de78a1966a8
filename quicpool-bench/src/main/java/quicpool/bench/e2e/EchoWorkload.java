// SPDX-License-Identifier: Apache-2.0
package quicpool.bench.e2e;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import quicpool.api.ClientPool;
import quicpool.api.ServerPool;
import quicpool.api.StreamConn;

/**
 * The original's QUIC stack as an outside reference: quic-go moved 50 streams x 1 MiB of echo over
 * 2 connections in about 2.0 s wall on this machine. Here the same workload runs through quicpool
 * on one transport: a client pool of 2 shards (2 QUIC connections, kept full at 256 idle streams)
 * against a server pool; half the streams are taken on each connection. The clock starts with
 * every client stream in hand; then, all at once, each stream's server end is taken by ID and
 * echoes what it reads, the client writes its bytes and half-closes, and reads the echo back,
 * checking every byte. It stops when the last echo is complete. Warm-up rounds are not recorded.
 *
 * <pre>java -cp benchmarks.jar quicpool.bench.e2e.EchoWorkload kwik,netty [rounds] [streams] [KiB per stream] [warm-up rounds]</pre>
 */
public final class EchoWorkload {
    private static final String USAGE = "EchoWorkload <kwik|netty|kwik,netty> [rounds >= 1, default 5]"
            + " [streams >= 2, default 50] [KiB per stream >= 1, default 1024] [warm-up rounds >= 0, default 1]";
    private static final int CONNECTIONS = 2;
    private static final int CAPACITY = CONNECTIONS * 128;

    private EchoWorkload() {
    }

    public static void main(String[] args) {
        Report.run("EchoWorkload", () -> {
            Args a = new Args(args, USAGE);
            var transports = a.transports();
            int rounds = a.integer(1, "rounds", 5, 1);
            int streams = a.integer(2, "streams", 50, CONNECTIONS);
            int size = a.integer(3, "KiB per stream", 1024, 1) * 1024;
            int warmup = a.integer(4, "warm-up rounds", 1, 0);
            Report.line("Echo workload: %d streams x %d KiB over %d connections, %d rounds after %d warm-up; %s",
                    streams, size / 1024, CONNECTIONS, rounds, warmup, Report.machine());
            Report.line("");
            Report.line("| transport | streams x size | connections | wall ms median (min..max) | rounds | echoed MB/s at the median |");
            Report.line("| --- | --- | ---: | ---: | ---: | ---: |");
            for (String t : transports) {
                List<Double> walls = measure(t, rounds, streams, size, warmup);
                double median = Report.median(walls);
                Report.line("| %s | %d x %d KiB | %d | %s (%s..%s) | %d | %.1f |", t, streams, size / 1024, CONNECTIONS,
                        Report.ms(median), Report.ms(Report.min(walls)), Report.ms(Report.max(walls)), walls.size(),
                        2.0 * streams * size / (median / 1e9) / 1e6);
            }
            Report.line("");
            Report.line("After: %s", Report.machine());
        });
    }

    /** Wall times of the recorded rounds, in nanoseconds. */
    private static List<Double> measure(String transport, int rounds, int streams, int size, int warmup)
            throws Exception {
        byte[] payload = new byte[size];
        new SplittableRandom(2).nextBytes(payload);
        List<Double> walls = new ArrayList<>();
        ExecutorService threads = Loopback.threads("echo");
        try (ServerPool server = Loopback.server(transport, 2 * CAPACITY);
             ClientPool client = Loopback.client(transport, server, CAPACITY, CAPACITY).build()) {
            client.start();
            if (client.shardCount() != CONNECTIONS) {
                throw new IllegalStateException("expected " + CONNECTIONS + " shards, the pool has " + client.shardCount());
            }
            for (int round = -warmup; round < rounds; round++) {
                Loopback.awaitActive(client, CAPACITY);
                List<StreamConn> ends = pick(client, server, streams);
                long wall = round(server, ends, payload, threads);
                if (round >= 0) {
                    walls.add((double) wall);
                }
            }
        } finally {
            Loopback.shutdown(threads);
        }
        return walls;
    }

    /**
     * Takes streams until each connection gave its share; closes the surplus with its server end
     * (a Kwik server pool cannot see that an idle stream's client closed it, and would keep its
     * slot).
     */
    private static List<StreamConn> pick(ClientPool client, ServerPool server, int streams) throws Exception {
        return ConnectionShares.take(client, streams, CONNECTIONS, CAPACITY, c -> {
            server.outgoingGet(c.id(), Loopback.TIMEOUT).close();
            c.close();
        });
    }

    /** One timed round; returns its wall time in nanoseconds. */
    private static long round(ServerPool server, List<StreamConn> ends, byte[] payload, ExecutorService threads)
            throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> tasks = new ArrayList<>();
        for (StreamConn c : ends) {
            c.setReadTimeout(Loopback.TIMEOUT);
            String id = c.id();
            tasks.add(threads.submit(() -> {
                go.await();
                try (StreamConn s = server.outgoingGet(id, Loopback.TIMEOUT)) {
                    s.setReadTimeout(Loopback.TIMEOUT);
                    echo(s);
                }
                return null;
            }));
            tasks.add(threads.submit(() -> {
                go.await();
                write(c, payload);
                return null;
            }));
            tasks.add(threads.submit(() -> {
                go.await();
                try (c) {
                    readBack(c, payload);
                }
                return null;
            }));
        }
        long t0 = System.nanoTime();
        go.countDown();
        for (Future<?> f : tasks) {
            f.get(Loopback.TIMEOUT.toSeconds() * 4, TimeUnit.SECONDS);
        }
        return System.nanoTime() - t0;
    }

    /** Server side: echoes what the stream carries until its FIN, then half-closes. */
    static void echo(StreamConn s) throws IOException {
        byte[] buf = new byte[Sink.CHUNK];
        InputStream in = s.inputStream();
        OutputStream out = s.outputStream();
        for (int r; (r = in.read(buf)) >= 0; ) {
            out.write(buf, 0, r);
        }
        s.shutdownOutput(); // no flush first: the FIN can then leave with the last bytes
    }

    /** Client side: writes the payload in chunks of {@link Sink#CHUNK} and half-closes. */
    static void write(StreamConn c, byte[] payload) throws IOException {
        OutputStream out = c.outputStream();
        for (int off = 0; off < payload.length; off += Sink.CHUNK) {
            out.write(payload, off, Math.min(Sink.CHUNK, payload.length - off));
        }
        c.shutdownOutput(); // no flush first: the FIN can then leave with the last bytes
    }

    private static void readBack(StreamConn c, byte[] payload) throws IOException {
        byte[] got = c.inputStream().readNBytes(payload.length);
        if (got.length < payload.length) {
            throw new EOFException("stream " + c.id() + " echoed " + got.length + " of " + payload.length + " bytes");
        }
        if (!Arrays.equals(got, payload)) {
            throw new IOException("stream " + c.id() + " echoed different bytes");
        }
        if (c.inputStream().read() >= 0) {
            throw new IOException("stream " + c.id() + " echoed more bytes than were sent");
        }
    }
}
