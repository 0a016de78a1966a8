// SPDX-License-Identifier: Apache-2.0
package quicpool.examples;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import quicpool.api.ClientPool;
import quicpool.api.PoolStats;
import quicpool.api.QuicPools;
import quicpool.api.ServerPool;
import quicpool.api.StreamConn;

/**
 * The loopback demo: a server pool and a client pool in one JVM pair streams the way a tunnel
 * does (server {@code incomingGet} -> ID -> client {@code outgoingGet(id)}), echo data through
 * them, and print what the pools did. Ends by itself.
 *
 * <p>Usage: {@code java -p <modules> -m quicpool.examples/quicpool.examples.Demo [pairs] [threads]}
 */
public final class Demo {
    private static final int PAYLOAD = 16 * 1024;
    private static final Duration GET_TIMEOUT = Duration.ofSeconds(10);

    private Demo() {
    }

    public static void main(String[] args) throws Exception {
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        DemoCertificate cert = DemoCertificate.create();

        try (ServerPool server = QuicPools.server()
                .listen(new InetSocketAddress("127.0.0.1", 0))
                .keyStore(cert.keyStore, DemoCertificate.ALIAS, DemoCertificate.PASSWORD)
                .maxCapacity(256)
                .allowClient("127.0.0.1")
                .build()) {
            server.start();
            try (ClientPool client = QuicPools.client()
                    .serverAddress(server.localAddress())
                    .hostname("localhost")
                    .pinCertificate(cert.certificate)
                    .capacity(128, 256)
                    .refillInterval(Duration.ofMillis(50), Duration.ofMillis(500))
                    .build()) {
                long t0 = System.nanoTime();
                client.start();
                awaitActive(client, 128, Duration.ofSeconds(30));
                System.out.printf("filled %d streams in %.1f ms%n", client.active(), (System.nanoTime() - t0) / 1e6);
                run(server, client, pairs, threads);
            }
        }
    }

    private static void awaitActive(ClientPool client, int n, Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (client.active() < n) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("client pool did not reach " + n + " ready streams within " + bound
                        + ": " + client.stats());
            }
            TimeUnit.MILLISECONDS.sleep(5);
        }
    }

    private static void run(ServerPool server, ClientPool client, int pairs, int threads) throws Exception {
        Percentiles incoming = new Percentiles();
        Percentiles outgoing = new Percentiles();
        AtomicLong bytes = new AtomicLong();
        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < pairs; i++) {
                done.add(pool.submit(() -> {
                    pair(server, client, incoming, outgoing);
                    bytes.addAndGet(2L * PAYLOAD);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        PoolStats s = server.stats();
        PoolStats c = client.stats();
        System.out.printf("transport      %s%n", c.transport());
        System.out.printf("pairs served   %d in %.2f s (%.0f pairs/s, %d threads)%n", pairs, seconds, pairs / seconds, threads);
        System.out.printf("bytes moved    %d (%.1f MiB/s echoed)%n", bytes.get(), bytes.get() / seconds / (1 << 20));
        System.out.printf("incomingGet    %s%n", incoming.summary());
        System.out.printf("outgoingGet    %s%n", outgoing.summary());
        System.out.printf("client pool    shards %d  connections %d  active %d  capacity %d  interval %d ms  opened %d%n",
                c.shards(), c.connections(), c.active(), c.capacity(), c.interval().toMillis(), c.opened());
        System.out.printf("server pool    shards %d  connections %d  active %d  capacity %d  opened %d  refused %d%n",
                s.shards(), s.connections(), s.active(), s.capacity(), s.opened(), s.refused());
    }

    /** One tunnel pairing: the server takes any stream, the client takes the same ID, data echoes. */
    private static void pair(ServerPool server, ClientPool client, Percentiles incoming, Percentiles outgoing)
            throws Exception {
        long t = System.nanoTime();
        StreamConn s = server.incomingGet(GET_TIMEOUT);
        incoming.record(System.nanoTime() - t);
        t = System.nanoTime();
        StreamConn c = client.outgoingGet(s.id(), GET_TIMEOUT); // the ID travels over the tunnel's control channel
        outgoing.record(System.nanoTime() - t);
        try (s; c) {
            byte[] payload = new byte[PAYLOAD];
            ThreadLocalRandom.current().nextBytes(payload);
            OutputStream out = c.outputStream();
            out.write(payload);
            out.close(); // half-close: the server reads to the end
            byte[] received = s.inputStream().readAllBytes();
            s.outputStream().write(received);
            s.outputStream().close();
            byte[] echoed = c.inputStream().readAllBytes();
            if (!Arrays.equals(payload, echoed)) {
                throw new IOException("echo through stream " + s.id() + " corrupted the data");
            }
        }
    }
}
