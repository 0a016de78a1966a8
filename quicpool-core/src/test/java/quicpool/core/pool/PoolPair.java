// SPDX-License-Identifier: Apache-2.0
package quicpool.core.pool;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.UnaryOperator;
import quicpool.api.ClientPool;
import quicpool.api.ClientPoolBuilder;
import quicpool.api.QuicPools;
import quicpool.api.ServerPool;
import quicpool.api.ServerPoolBuilder;
import quicpool.testkit.InMemoryNetwork;
import quicpool.testkit.InMemoryTransport;
import quicpool.testkit.TestCertificate;
import quicpool.testkit.TestCertificates;
import quicpool.compliance.Conditions;

/** A server pool and a client pool over a private in-memory network. */
final class PoolPair implements AutoCloseable {
    static final TestCertificate CERT = TestCertificates.localhost();

    final InMemoryNetwork network = new InMemoryNetwork();
    final InMemoryTransport transport = new InMemoryTransport(network);
    final ServerPool server;
    final ClientPool client;

    PoolPair(UnaryOperator<ServerPoolBuilder> serverConfig, UnaryOperator<ClientPoolBuilder> clientConfig) {
        server = serverConfig.apply(QuicPools.server()
                .listen(new InetSocketAddress("127.0.0.1", 0))
                .keyStore(CERT.keyStore(), CERT.alias(), CERT.password())
                .transport(transport)).build();
        server.start();
        client = clientConfig.apply(QuicPools.client()
                .serverAddress(server.localAddress())
                .hostname("localhost")
                .pinCertificate(CERT.certificate())
                .refillInterval(Duration.ofMillis(10), Duration.ofMillis(50))
                .transport(transport)).build();
    }

    static PoolPair started(int minCap, int maxCap) {
        PoolPair p = new PoolPair(s -> s.maxCapacity(Math.max(maxCap, 1)), c -> c.capacity(minCap, maxCap));
        p.client.start();
        return p;
    }

    void awaitFilled(int n) {
        Conditions.await("client and server hold " + n + " idle streams", Duration.ofSeconds(20),
                () -> client.active() >= n && server.active() >= n, () -> client.stats() + " " + server.stats());
    }

    @Override
    public void close() {
        client.close();
        server.close();
    }
}
