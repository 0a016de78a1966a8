// SPDX-License-Identifier: Apache-2.0
package quicpool.examples.tunnel;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import quicpool.api.ClientPool;
import quicpool.api.ClientPoolBuilder;
import quicpool.api.IpRange;
import quicpool.api.PoolStats;
import quicpool.api.QuicPools;
import quicpool.api.ServerPool;
import quicpool.api.ServerPoolBuilder;
import quicpool.examples.DemoCertificate;
import quicpool.examples.Percentiles;

/**
 * {@code Tunnel --demo}: both ends of the tunnel, an echo server as the target and a crowd of
 * users, all in this process on loopback. Each user connects to the public port, sends 16 KiB,
 * half-closes and checks that the same bytes come back through the tunnel.
 */
final class TunnelDemo {
    private static final int PAYLOAD = 16 * 1024;
    private static final int USERS_IN_PARALLEL = 8;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private TunnelDemo() {
    }

    /** Runs the demo; 0 if every user got its bytes back, 1 otherwise. */
    static int run(int connections, String transport, PrintStream out) throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        DemoCertificate cert = DemoCertificate.create();
        Secret secret = Secret.random(); // both ends live in this process
        TunnelServer.Security serverSecurity = new TunnelServer.Security(
                ControlTls.server(cert.keyStore, DemoCertificate.PASSWORD), secret,
                List.of(IpRange.parse(loopback.getHostAddress())));
        TunnelClient.Security clientSecurity = new TunnelClient.Security(
                ControlTls.client(ControlTls.pinned(cert.fingerprint())), "localhost", false, secret);
        ServerPoolBuilder serverPool = QuicPools.server()
                .listen(new InetSocketAddress(loopback, 0))
                .keyStore(cert.keyStore, DemoCertificate.ALIAS, DemoCertificate.PASSWORD)
                .maxCapacity(256);
        if (transport != null) {
            serverPool.transport(transport);
        }
        try (EchoServer target = EchoServer.start(new InetSocketAddress(loopback, 0));
             TunnelServer server = TunnelServer.start(serverPool.build(), serverSecurity, new InetSocketAddress(loopback, 0),
                     new InetSocketAddress(loopback, 0), TIMEOUT)) {
            ClientPoolBuilder clientPool = QuicPools.client()
                    .serverAddress(server.quicAddress())
                    .hostname("localhost")
                    .pinCertificate(cert.certificate)
                    .capacity(16, 256);
            if (transport != null) {
                clientPool.transport(transport);
            }
            try (TunnelClient client = TunnelClient.start(clientPool.build(), clientSecurity, server.controlAddress(),
                    target.address(), TIMEOUT)) {
                if (!client.awaitConnected(Duration.ofSeconds(30))) {
                    out.println("the tunnel did not come up within 30 s: client pool " + client.pool().stats());
                    return 1;
                }
                out.printf("tunnel         users -> %s -> QUIC %s (control %s) -> target %s%n",
                        server.publicAddress(), server.quicAddress(), server.controlAddress(), target.address());
                return users(server, client, connections, out);
            }
        }
    }

    private static int users(TunnelServer server, TunnelClient client, int connections, PrintStream out)
            throws InterruptedException {
        Percentiles latency = new Percentiles();
        List<Future<?>> results = new ArrayList<>();
        ExecutorService users = Executors.newFixedThreadPool(USERS_IN_PARALLEL);
        long t0 = System.nanoTime();
        try {
            for (int i = 0; i < connections; i++) {
                results.add(users.submit(() -> {
                    long t = System.nanoTime();
                    echoThroughTunnel(server.publicAddress());
                    latency.record(System.nanoTime() - t);
                    return null;
                }));
            }
            int failed = 0;
            for (Future<?> f : results) {
                try {
                    f.get(60, TimeUnit.SECONDS);
                } catch (Exception e) {
                    if (failed++ == 0) {
                        out.println("first failure: " + e);
                    }
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            PoolStats s = server.pool().stats();
            PoolStats c = client.pool().stats();
            out.printf("transport      %s%n", c.transport());
            out.printf("connections    %d ok, %d failed in %.2f s (%.0f/s, %d at a time)%n", connections - failed,
                    failed, seconds, connections / seconds, USERS_IN_PARALLEL);
            out.printf("bytes echoed   %d (%.1f MiB/s both ways)%n", 2L * PAYLOAD * (connections - failed),
                    2.0 * PAYLOAD * (connections - failed) / seconds / (1 << 20));
            out.printf("per connection %s%n", latency.summary());
            out.printf("client pool    shards %d  active %d  capacity %d  opened %d%n",
                    c.shards(), c.active(), c.capacity(), c.opened());
            out.printf("server pool    shards %d  active %d  opened %d  refused %d%n",
                    s.shards(), s.active(), s.opened(), s.refused());
            return failed == 0 ? 0 : 1;
        } finally {
            users.shutdownNow();
        }
    }

    /** One user: connect to the public port, send, half-close, read the echo to the end. */
    private static void echoThroughTunnel(InetSocketAddress publicAddress) throws IOException {
        byte[] payload = new byte[PAYLOAD];
        ThreadLocalRandom.current().nextBytes(payload);
        try (Socket socket = new Socket()) {
            socket.connect(publicAddress, (int) TIMEOUT.toMillis());
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(payload);
            socket.shutdownOutput(); // the target sees EOF through the tunnel, echoes and closes
            InputStream in = socket.getInputStream();
            byte[] echoed = in.readAllBytes();
            if (!Arrays.equals(payload, echoed)) {
                throw new IOException("the echo of " + PAYLOAD + " bytes came back as " + echoed.length
                        + " different bytes");
            }
        }
    }
}
