// SPDX-License-Identifier: Apache-2.0
package quicpool.compliance;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import quicpool.api.ClientPool;
import quicpool.api.ClientPoolBuilder;
import quicpool.api.Pool;
import quicpool.api.PoolStats;
import quicpool.api.QuicPools;
import quicpool.api.ServerPool;
import quicpool.api.ServerPoolBuilder;
import quicpool.api.spi.QuicTransport;

/**
 * What every transport kit needs: the transport under test, daemon worker threads named so that
 * leak checks can tell them from the pool's and the transport's, and everything a test opened,
 * closed after it in reverse order.
 */
public abstract class TransportKit {
    private final String threadPrefix;
    private final List<AutoCloseable> open = new ArrayList<>();
    /** The kit's own threads (echoing ends, waiting gets), named with the kit's prefix. */
    protected final ExecutorService workers;
    private String name;

    /** @param threadPrefix the name prefix of the kit's own threads, e.g. {@code "scale-kit-"} */
    protected TransportKit(String threadPrefix) {
        this.threadPrefix = threadPrefix;
        this.workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, threadPrefix + "worker");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Waits until the pool's idle streams are exactly those registered and neither taken nor
     * evicted. The counts are read one after another while refills run, so one reading may catch a
     * registration half-way; a stream lost for good keeps them apart until the bound and fails.
     */
    protected static void awaitCountsExact(Pool pool) {
        Conditions.await("active = opened - taken - evicted", Duration.ofSeconds(10),
                () -> countsExact(pool.stats()), pool::stats);
    }

    private static boolean countsExact(PoolStats stats) {
        return stats.active() == stats.opened() - stats.taken() - stats.evicted();
    }

    /**
     * A client pool of {@code capacity} streams (fixed target) on this kit's transport, pinned to
     * the fixture certificate, with short timeouts and refill intervals; {@code config} adjusts
     * it, making no TLS choice. Not started, not kept.
     */
    protected final ClientPool newClient(Supplier<InetSocketAddress> resolver, int capacity,
                                         UnaryOperator<ClientPoolBuilder> config) {
        return newClient(resolver, capacity, PoolFixture::pinned, config);
    }

    /**
     * As {@link #newClient(Supplier, int, UnaryOperator)}, with the TLS choice {@code tls} makes
     * instead of the fixture pin (a builder allows only one).
     */
    protected final ClientPool newClient(Supplier<InetSocketAddress> resolver, int capacity,
                                         UnaryOperator<ClientPoolBuilder> tls, UnaryOperator<ClientPoolBuilder> config) {
        return config.apply(tls.apply(QuicPools.client())
                .addressResolver(resolver)
                .hostname("localhost")
                .keepAlive(RawPeers.KEEP_ALIVE)
                .connectTimeout(Duration.ofSeconds(2))
                .handshakeTimeout(Duration.ofSeconds(5))
                .refillInterval(Duration.ofMillis(20), Duration.ofMillis(100))
                .capacity(capacity, capacity)
                .transport(transport())).build();
    }

    /**
     * A started server pool on 127.0.0.1:0 with the fixture certificate, the kits' keep-alive, a
     * 5 s handshake timeout and at most {@code capacity} idle streams, on this kit's transport;
     * {@code config} adjusts it. Not kept.
     */
    protected final ServerPool newServer(int capacity, UnaryOperator<ServerPoolBuilder> config) {
        ServerPool s = config.apply(QuicPools.server()
                .listen(new InetSocketAddress("127.0.0.1", 0))
                .keyStore(PoolFixture.CERT.keyStore(), PoolFixture.CERT.alias(), PoolFixture.CERT.password())
                .keepAlive(RawPeers.KEEP_ALIVE)
                .handshakeTimeout(Duration.ofSeconds(5))
                .maxCapacity(capacity)
                .transport(transport())).build();
        s.start();
        return s;
    }

    /** A fresh transport; each pool (and raw peer) gets its own. */
    protected abstract QuicTransport transport();

    /**
     * Which threads must be gone after {@code close()}: by default every thread started during the
     * run, except the kit's own.
     */
    protected Predicate<Thread> poolOrTransportThread() {
        return t -> !t.getName().startsWith(threadPrefix);
    }

    /** The name prefix of the kit's own threads. */
    protected final String threadPrefix() {
        return threadPrefix;
    }

    /** The transport's name, for figures. */
    protected final String name() {
        if (name == null) {
            name = transport().name();
        }
        return name;
    }

    /** Closes {@code closeable} after the test, before what was kept earlier. */
    protected final <T extends AutoCloseable> T keep(T closeable) {
        open.add(closeable);
        return closeable;
    }

    /** Takes back {@link #keep}: the caller closes {@code closeable} itself. */
    protected final void forget(AutoCloseable closeable) {
        open.remove(closeable);
    }

    @AfterEach
    public void closeEverything() throws Exception {
        workers.shutdownNow();
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        open.clear();
        workers.awaitTermination(10, TimeUnit.SECONDS);
    }
}
