// SPDX-License-Identifier: Apache-2.0
package quicpool.bench.e2e;

import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;
import quicpool.api.ClientPool;
import quicpool.api.ClientPoolBuilder;
import quicpool.api.QuicPools;
import quicpool.api.ServerPool;
import quicpool.api.ServerPoolBuilder;
import quicpool.api.spi.DialSpec;
import quicpool.api.spi.ListenSpec;
import quicpool.api.spi.QuicSettings;
import quicpool.examples.tunnel.VirtualThreads;
import quicpool.testkit.PoolQuicSettings;
import quicpool.testkit.TestCertificate;
import quicpool.testkit.TestCertificates;

/**
 * The shared setup of the programs: one {@code localhost} certificate, the same QUIC settings for
 * pools and raw dials (keep-alive 10 s, the pool's windows of 1 MiB per stream and 16 MiB per
 * connection, 128 streams), pools built through the public API and raw dial and listen specs
 * through the SPI.
 */
final class Loopback {
    static final Duration KEEP_ALIVE = Duration.ofSeconds(10);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Bound of every get, open and read of the programs: a hang fails the run instead of stalling it. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final String HOST = "localhost";
    static final TestCertificate CERT = TestCertificates.localhost();
    static final QuicSettings SETTINGS = PoolQuicSettings.forKeepAlive(KEEP_ALIVE);

    private Loopback() {
    }

    /** A started server pool of the named transport on 127.0.0.1, any port. */
    static ServerPool server(String transport, int maxCapacity) {
        ServerPool server = serverBuilder(transport, maxCapacity).build();
        server.start();
        return server;
    }

    /** The builder of {@link #server}: this JVM's certificate, 127.0.0.1, any port. */
    static ServerPoolBuilder serverBuilder(String transport, int maxCapacity) {
        return QuicPools.server()
                .listen(new InetSocketAddress("127.0.0.1", 0))
                .keyStore(CERT.keyStore(), CERT.alias(), CERT.password())
                .maxCapacity(maxCapacity)
                .keepAlive(KEEP_ALIVE)
                .transport(Transports.fresh(transport));
    }

    /** A client pool of the named transport pinned to the server's certificate, not started. */
    static ClientPoolBuilder client(String transport, ServerPool server, int minCapacity, int maxCapacity) {
        return client(transport, server.localAddress(), CERT.certificate(), minCapacity, maxCapacity);
    }

    /**
     * A client pool of the named transport dialing {@code server} and pinned to {@code pinned}
     * (a server in another JVM, whose certificate it printed), not started.
     */
    static ClientPoolBuilder client(String transport, InetSocketAddress server, X509Certificate pinned,
                                    int minCapacity, int maxCapacity) {
        return QuicPools.client()
                .serverAddress(server)
                .hostname(HOST)
                .pinCertificate(pinned)
                .capacity(minCapacity, maxCapacity)
                .keepAlive(KEEP_ALIVE)
                .connectTimeout(CONNECT_TIMEOUT)
                .handshakeTimeout(TIMEOUT)
                .transport(Transports.fresh(transport));
    }

    /** What a raw dial to {@code server} uses: the pool's settings and a pinning trust manager. */
    static DialSpec dialSpec(InetSocketAddress server) {
        return dialSpec(server, CERT.certificate());
    }

    /** As {@link #dialSpec(InetSocketAddress)}, pinned to {@code pinned} (a server in another JVM). */
    static DialSpec dialSpec(InetSocketAddress server, X509Certificate pinned) {
        return new DialSpec(server, HOST, new PinnedTrust(pinned), SETTINGS, CONNECT_TIMEOUT);
    }

    /** What a raw listener binds: 127.0.0.1, any port, the pool's settings, no Retry. */
    static ListenSpec listenSpec() {
        return listenSpec(false);
    }

    /** As {@link #listenSpec()}, with QUIC Retry on or off. */
    static ListenSpec listenSpec(boolean retry) {
        ListenSpec plain = new ListenSpec(new InetSocketAddress("127.0.0.1", 0), CERT.keyStore(), CERT.alias(),
                CERT.password(), SETTINGS);
        return new ListenSpec(plain.bindAddress(), plain.keyStore(), plain.keyAlias(), plain.keyPassword(),
                plain.settings(), plain.admission(), plain.handshakeTimeout(), retry);
    }

    /**
     * Waits until the client pool holds {@code n} idle streams. The pool announces no fill event,
     * so this looks every millisecond; it runs only between measurements.
     *
     * @throws IllegalStateException if it does not happen within {@link #TIMEOUT}
     */
    static void awaitActive(ClientPool client, int n) {
        awaitAtLeast("client pool idle streams", client::active, n, () -> client.stats() + ", last connect failure "
                + client.lastConnectFailure().map(Exception::toString).orElse("none"));
    }

    static void awaitAtLeast(String what, IntSupplier value, int n, java.util.function.Supplier<String> state) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (value.getAsInt() < n) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + " did not reach " + n + " within " + TIMEOUT + ": " + state.get());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    /**
     * A thread per task named {@code name-N}, as a user's readers and writers would run: virtual
     * threads on Java 21 and later (off with {@code -Dquicpool.bench.virtualThreads=false}), else a
     * cached pool of daemon platform threads.
     */
    static ExecutorService threads(String name) {
        return VirtualThreads.perTask(name + "-", "quicpool.bench.virtualThreads");
    }

    /** Shuts {@code executor} down and waits a bounded time for its tasks to end. */
    static void shutdown(ExecutorService executor) {
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                System.getLogger("quicpool.bench").log(System.Logger.Level.WARNING,
                        "benchmark threads still running 10 s after shutdown");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
