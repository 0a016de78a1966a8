// SPDX-License-Identifier: Apache-2.0
package quicpool.core.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import quicpool.api.QuicPools;
import quicpool.api.StreamConn;
import quicpool.api.internal.BuilderConfigs;
import quicpool.api.spi.DialSpec;
import quicpool.api.spi.TransportConnection;
import quicpool.api.spi.TransportStream;
import quicpool.compliance.Conditions;
import quicpool.core.shard.PoolQuicSettings;
import quicpool.core.tls.TrustManagers;

/** Dead connections, refused clients, a full server and silent peers. */
@Timeout(60)
class FaultsTest {

    @Test
    void streamsOfAKilledConnectionAreEvictedAtOnceAndNeverHandedOut() throws Exception {
        try (PoolPair p = PoolPair.started(20, 20)) {
            p.awaitFilled(20);
            long evictedBefore = p.client.stats().evicted();
            p.network.killConnections();
            // eviction happens on the close callback, before anyone asks
            Conditions.await("client evicted the dead streams", Duration.ofSeconds(5),
                    () -> p.client.stats().evicted() - evictedBefore >= 20 || p.client.active() == 0);
            // the pool reconnects and refills; every stream handed out afterwards works
            p.awaitFilled(20);
            List<StreamConn> taken = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                StreamConn s = p.server.incomingGet(Duration.ofSeconds(5));
                StreamConn c = p.client.outgoingGet(s.id(), Duration.ofSeconds(5));
                assertThat(c.isOpen()).isTrue();
                c.outputStream().write(i);
                c.outputStream().flush();
                assertThat(s.inputStream().read()).isEqualTo(i);
                taken.add(s);
                taken.add(c);
            }
            taken.forEach(StreamConn::close);
        }
    }

    @Test
    void clientOutsideTheAllowListIsRefusedBeforeAnyStream() {
        try (PoolPair p = new PoolPair(s -> s.allowClient("10.1.2.3/32"), c -> c.capacity(4, 4))) {
            p.client.start();
            Conditions.await("a dial was refused", Duration.ofSeconds(10),
                    () -> ((quicpool.core.client.CoreClientPool) p.client).dialFailures() > 0);
            assertThat(p.server.stats().opened()).isZero();
            assertThat(p.client.lastConnectFailure()).get().asString().contains("unauthorized IP");
            assertThat(p.server.active()).isZero();
            assertThat(p.client.active()).isZero();
            assertThat(p.server.ready()).isFalse();
        }
    }

    @Test
    void connectionsPastTheAddressLimitAreClosedOnceConnectedWhereTheTransportSeesNoPackets() {
        // 3 x 128 streams: three shards, three connections from one address, one past the limit
        try (PoolPair p = new PoolPair(s -> s.maxCapacity(384).maxConnectionsPerAddress(2), c -> c.capacity(384, 384))) {
            p.client.start();
            Conditions.await("a connection past the limit was refused", Duration.ofSeconds(10),
                    () -> p.client.lastConnectFailure().isPresent());
            assertThat(p.client.lastConnectFailure()).get().asString().contains("too many connections from this address");
            assertThat(p.server.stats().failedConnections()).isPositive();
            assertThat(p.server.stats().connections()).isLessThanOrEqualTo(2);
            assertThat(p.server.stats().refusedAtAdmission()).as("no packets to refuse in memory").isZero();
        }
    }

    @Test
    void allowListAdmitsTheClientsAddressAndRange() throws Exception {
        try (PoolPair p = new PoolPair(s -> s.allowClient("10.9.0.0/16").allowClient("127.0.0.1"), c -> c.capacity(2, 2))) {
            p.client.start();
            p.awaitFilled(2);
        }
        try (PoolPair p = new PoolPair(s -> s.allowClient("10.9.0.0/16"), c -> c.capacity(2, 2))) {
            p.network.clientAddress(InetAddress.getByName("10.9.8.7"));
            p.client.start();
            p.awaitFilled(2);
        }
    }

    @Test
    void serverRefusesStreamsBeyondItsMaxCapacity() {
        try (PoolPair p = new PoolPair(s -> s.maxCapacity(10), c -> c.capacity(30, 30))) {
            p.client.start();
            Conditions.await("server refused the surplus", Duration.ofSeconds(10), () -> p.server.stats().refused() > 0);
            assertThat(p.server.active()).isLessThanOrEqualTo(10);
            Conditions.await("client holds only what the server accepted", Duration.ofSeconds(10),
                    () -> p.client.active() == p.server.active(), () -> p.client.stats() + " " + p.server.stats());
        }
    }

    @Test
    void serverFreesTheSlotOfAPeerThatNeverSendsTheHandshakeByte() throws Exception {
        try (PoolPair p = new PoolPair(s -> s.handshakeTimeout(Duration.ofMillis(200)), c -> c)) {
            var conn = rawDial(p);
            TransportStream silent = conn.openStream(Duration.ofSeconds(5));
            silent.setReadTimeout(Duration.ofSeconds(10));
            long t0 = System.nanoTime();
            int r;
            try {
                r = silent.inputStream().read();
            } catch (java.io.IOException reset) {
                r = -1;
            }
            assertThat(r).isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
            assertThat(p.server.stats().refused()).isEqualTo(1);
            assertThat(p.server.active()).isZero();
            silent.close();
            conn.close(0, "done");
        }
    }

    @Test
    void serverRefusesAWrongHandshakeByte() throws Exception {
        try (PoolPair p = new PoolPair(s -> s, c -> c)) {
            var conn = rawDial(p);
            TransportStream bad = conn.openStream(Duration.ofSeconds(5));
            bad.outputStream().write(0x7f);
            bad.outputStream().flush();
            bad.setReadTimeout(Duration.ofSeconds(10));
            int r;
            try {
                r = bad.inputStream().read();
            } catch (java.io.IOException reset) {
                r = -1;
            }
            assertThat(r).isEqualTo(-1);
            Conditions.await("refusal counted", Duration.ofSeconds(5), () -> p.server.stats().refused() == 1);
            assertThat(p.server.active()).isZero();
            bad.close();
            conn.close(0, "done");
        }
    }

    @Test
    void clientGivesUpOnAServerThatNeverAnswersAndLeaksNoStream() throws Exception {
        quicpool.testkit.InMemoryTransport t = new quicpool.testkit.InMemoryTransport(new quicpool.testkit.InMemoryNetwork());
        java.util.List<TransportStream> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
        var listener = t.listen(new quicpool.api.spi.ListenSpec(new java.net.InetSocketAddress("127.0.0.1", 0),
                PoolPair.CERT.keyStore(), PoolPair.CERT.alias(), PoolPair.CERT.password(),
                PoolQuicSettings.forKeepAlive(Duration.ofSeconds(10))),
                conn -> accepted::add); // a server that reads nothing and answers nothing
        try (quicpool.api.ClientPool client = quicpool.api.QuicPools.client().serverAddress(listener.localAddress())
                .insecure().capacity(3, 3).handshakeTimeout(Duration.ofMillis(200))
                .refillInterval(Duration.ofMillis(50), Duration.ofMillis(50)).transport(t).build()) {
            client.start();
            Conditions.await("handshakes timed out", Duration.ofSeconds(10), () -> client.stats().refused() >= 3,
                    client::stats);
            assertThat(client.active()).isZero();
            // every stream the client gave up on was closed: the silent server sees each one end
            Conditions.await("abandoned streams closed", Duration.ofSeconds(10),
                    () -> accepted.size() >= 3 && accepted.stream().limit(3).allMatch(FaultsTest::ended));
        } finally {
            listener.close();
        }
    }

    private static boolean ended(TransportStream s) {
        try {
            s.setReadTimeout(Duration.ofMillis(1));
            return s.inputStream().read() < 0;
        } catch (java.net.SocketTimeoutException stillOpen) {
            return false;
        } catch (java.io.IOException reset) {
            return true;
        }
    }

    @Test
    void failedDialsAreRetriedWithBackOffAndThePoolRecovers() {
        try (PoolPair p = new PoolPair(s -> s, c -> c.capacity(3, 3))) {
            p.transport.failNextDials(3);
            p.client.start();
            p.awaitFilled(3);
            assertThat(((quicpool.core.client.CoreClientPool) p.client).dialFailures()).isEqualTo(3);
        }
    }

    @Test
    void failedStreamOpensAreMadeUpOnTheNextCycle() {
        try (PoolPair p = new PoolPair(s -> s, c -> c.capacity(5, 5))) {
            p.transport.failNextStreamOpens(2);
            p.client.start();
            p.awaitFilled(5);
        }
    }

    /** A connection to the pair's server that bypasses the client pool, trusting any certificate. */
    private static TransportConnection rawDial(PoolPair p) throws Exception {
        return p.transport.connect(new DialSpec(p.server.localAddress(), "localhost",
                TrustManagers.forConfig(BuilderConfigs.client(QuicPools.client().insecure()
                        .serverAddress(p.server.localAddress())), "localhost"),
                PoolQuicSettings.forKeepAlive(Duration.ofSeconds(10)), Duration.ofSeconds(5)));
    }
}
