// SPDX-License-Identifier: Apache-2.0
package quicpool.bench.e2e;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import quicpool.api.ClientPool;
import quicpool.api.QuicPools;
import quicpool.api.StreamConn;

/**
 * The client end of {@link ProcessPairs} in its own JVM: a quicpool client pool of one transport
 * dialing {@code host:port} without verifying the server's certificate (a loopback benchmark
 * against a certificate made at the server's start), running warm-up then recorded rounds of one
 * workload and printing a {@code RESULT} line per round (see {@link PeerLines.Result}):
 *
 * <ul>
 *   <li>{@code echo}: a pool of {@code connections} x 128 streams, kept full; per round, with
 *       {@code streams} streams in hand (an equal share on each connection), the clock starts; each
 *       stream writes its bytes and half-closes while its echo is read back and its SHA-256
 *       checked; the clock stops with the last echo.</li>
 *   <li>{@code bulk}: one stream writes {@code MiB} one way and half-closes; the clock stops when
 *       the server's 8-byte count arrives and matches.</li>
 * </ul>
 *
 * <pre>java -cp benchmarks.jar quicpool.bench.e2e.PeerClient kwik|netty host:port echo|bulk [rounds] [warm-up rounds] [streams] [KiB per stream] [connections] [bulk MiB] [--stdin-watch]</pre>
 */
public final class PeerClient {
    private static final String USAGE = "PeerClient <kwik|netty> <host:port> <echo|bulk> [rounds >= 1, default 5]"
            + " [warm-up rounds >= 0, default 1] [streams >= 1, default 50] [KiB per stream >= 1, default 1024]"
            + " [connections >= 1, default 2] [bulk MiB >= 1, default 64] [--stdin-watch]";
    private static final int STREAMS_PER_CONNECTION = 128;
    /** The bulk pool's least target of idle streams. */
    private static final int BULK_MIN_IDLE = 2;

    private PeerClient() {
    }

    public static void main(String[] args) {
        Report.run("PeerClient", () -> {
            List<String> list = new ArrayList<>(List.of(args));
            boolean watch = list.remove(PeerLines.STDIN_WATCH);
            String[] rest = list.toArray(String[]::new);
            Args a = new Args(rest, USAGE);
            List<String> transports = a.transports();
            if (transports.size() != 1) {
                throw new IllegalArgumentException("PeerClient needs exactly one transport that runs here, got \""
                        + rest[0] + "\" (usage: " + USAGE + ")");
            }
            if (rest.length < 2) {
                throw new IllegalArgumentException("the second argument must be the server's host:port (usage: "
                        + USAGE + ")");
            }
            InetSocketAddress server = PeerLines.hostPort(rest[1]);
            String workload = Workload.of(rest, 2, USAGE);
            int rounds = a.integer(3, "rounds", 5, 1);
            int warmup = a.integer(4, "warm-up rounds", 1, 0);
            int streams = a.integer(5, "streams", 50, 1);
            int size = a.integer(6, "KiB per stream", 1024, 1) * 1024;
            int connections = a.integer(7, "connections", 2, 1);
            long bulk = (long) a.integer(8, "bulk MiB", 64, 1) << 20;
            if (watch) {
                PeerLines.watchStdin(() -> Runtime.getRuntime().halt(3));
            }
            String impl = "quicpool-" + transports.get(0);
            int capacity = workload.equals(Workload.ECHO) ? connections * STREAMS_PER_CONNECTION : BULK_MIN_IDLE;
            ExecutorService threads = Loopback.threads("client");
            try (ClientPool client = pool(transports.get(0), server, capacity)) {
                client.start();
                for (int round = -warmup; round < rounds; round++) {
                    long[] wallAndBytes = workload.equals(Workload.ECHO)
                            ? echoRound(client, streams, size, connections, capacity, threads)
                            : bulkRound(client, bulk);
                    long cpu = ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
                    System.out.println(new PeerLines.Result(impl, workload, round, round < 0, wallAndBytes[0],
                            wallAndBytes[1], cpu).line());
                    System.out.flush();
                }
            } finally {
                Loopback.shutdown(threads);
            }
        });
    }

    private static ClientPool pool(String transport, InetSocketAddress server, int capacity) {
        return QuicPools.client()
                .serverAddress(server)
                .hostname(Loopback.HOST)
                .insecure()
                .capacity(capacity, Math.max(capacity, STREAMS_PER_CONNECTION))
                .keepAlive(Loopback.KEEP_ALIVE)
                .connectTimeout(Loopback.CONNECT_TIMEOUT)
                .handshakeTimeout(Loopback.TIMEOUT)
                .transport(Transports.fresh(transport))
                .build();
    }

    /** One echo round: its wall time in nanoseconds and the bytes moved both ways. */
    private static long[] echoRound(ClientPool client, int streams, int size, int connections, int capacity,
                                    ExecutorService threads) throws Exception {
        byte[] payload = new byte[size];
        new SplittableRandom(2).nextBytes(payload);
        byte[] want = sha256().digest(payload);
        Loopback.awaitActive(client, capacity);
        List<StreamConn> ends = ConnectionShares.take(client, streams, connections, capacity, StreamConn::close);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> tasks = new ArrayList<>();
        for (StreamConn c : ends) {
            c.setReadTimeout(Loopback.TIMEOUT);
            tasks.add(threads.submit(() -> {
                go.await();
                EchoWorkload.write(c, payload);
                return null;
            }));
            tasks.add(threads.submit(() -> {
                go.await();
                try (c) {
                    checkEcho(c, size, want);
                }
                return null;
            }));
        }
        long t0 = System.nanoTime();
        go.countDown();
        for (Future<?> f : tasks) {
            f.get(Loopback.TIMEOUT.toSeconds() * 4, TimeUnit.SECONDS);
        }
        return new long[] {System.nanoTime() - t0, 2L * streams * size};
    }

    private static void checkEcho(StreamConn c, int size, byte[] want) throws IOException {
        MessageDigest digest = sha256();
        byte[] buf = new byte[Sink.CHUNK];
        InputStream in = c.inputStream();
        long n = 0;
        for (int r; (r = in.read(buf)) >= 0; ) {
            digest.update(buf, 0, r);
            n += r;
        }
        if (n < size) {
            throw new EOFException("stream " + c.id() + " echoed " + n + " of " + size + " bytes");
        }
        if (n > size || !Arrays.equals(digest.digest(), want)) {
            throw new IOException("stream " + c.id() + " echoed " + n + " bytes whose SHA-256 differs from the "
                    + size + " sent");
        }
    }

    /** One bulk round on one stream: its wall time in nanoseconds and the bytes sent. */
    private static long[] bulkRound(ClientPool client, long bytes) throws Exception {
        byte[] payload = new byte[Sink.CHUNK];
        new SplittableRandom(1).nextBytes(payload);
        StreamConn c = client.incomingGet(Loopback.TIMEOUT);
        c.setReadTimeout(Loopback.TIMEOUT);
        // the refill of what was just taken runs before the clock starts: the round times the stream alone
        Loopback.awaitActive(client, BULK_MIN_IDLE);
        long t0 = System.nanoTime();
        try (Duplex d = Duplex.of(c)) {
            Sink.send(d, payload, bytes);
        }
        return new long[] {System.nanoTime() - t0, bytes};
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256, which every Java platform must have", e);
        }
    }
}
