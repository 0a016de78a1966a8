// SPDX-License-Identifier: Apache-2.0
package quicpool.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import quicpool.api.ClientPool;
import quicpool.api.PoolStats;
import quicpool.api.ServerPool;
import quicpool.api.spi.QuicSettings;
import quicpool.api.spi.QuicTransport;
import quicpool.api.spi.TransportConnection;

/**
 * Who a server lets in, written once for every transport that sees packets: a client outside the
 * allow-list is refused at its first packet (no server datagram, so no certificate, ever reaches
 * it), and one address cannot hold more connections than its limit; clients the server admits
 * are served all along. Clients of another address than 127.0.0.1 dial through a {@link UdpRelay}
 * whose upstream sockets are bound to 127.0.0.2 (any 127/8 address is loopback on Linux; where
 * it cannot be bound, the tests are skipped).
 *
 * <pre>{@code
 * class KwikAdmissionTest extends TransportAdmissionKit {
 *     protected QuicTransport transport() { return new KwikTransport(); }
 * }
 * }</pre>
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class TransportAdmissionKit extends TransportKit {
    private static final Duration FILL = Duration.ofSeconds(20);
    private static final Duration GET = Duration.ofSeconds(10);
    /** The connect timeout of the kits' clients and raw peers. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** Time for a dial to notice its timeout, and for a loaded machine. */
    private static final Duration SLACK = Duration.ofSeconds(3);
    private static final InetAddress OTHER_LOOPBACK = OtherLoopback.ADDRESS;

    protected TransportAdmissionKit() {
        super("admission-kit-");
    }

    @Test
    public void clientOutsideTheAllowListIsRefusedAtItsFirstPacketAndNeverGetsACertificate() throws Exception {
        OtherLoopback.assumeBindable();
        ServerPool server = keep(newServer(8, s -> s.allowClient("127.0.0.1")));
        UdpRelay strangerPath = keep(new UdpRelay(server.localAddress(), 1, OTHER_LOOPBACK));
        ClientPool stranger = keep(newClient(strangerPath::address, 2, c -> c));
        ClientPool admitted = keep(newClient(server::localAddress, 2, c -> c));

        long start = System.nanoTime();
        stranger.start();
        admitted.start();
        Conditions.await("the stranger's first dial failed", CONNECT_TIMEOUT.plus(SLACK),
                () -> stranger.lastConnectFailure().isPresent(), stranger::stats);
        long failed = System.nanoTime();
        awaitFilled(admitted, server, 2);
        echoOnce(admitted, server, 1);

        PoolStats stats = server.stats();
        Figures.record(name(), "admission: stranger's first dial failed after (ms); server datagrams sent to it;"
                + " its first packets dropped", millis(failed - start) + "; " + strangerPath.fromServer() + "; "
                + stats.refusedAtAdmission());
        assertThat(strangerPath.forwarded()).as("the stranger's datagrams that reached the server").isPositive();
        assertThat(strangerPath.fromServer()).as("datagrams the server sent the stranger (a certificate would be some)")
                .isZero();
        assertThat(stats.refusedAtAdmission()).as("the stranger's first packets dropped, counted").isPositive();
        assertThat(stats.failedConnections()).as("handshakes the server began with the stranger").isZero();
        assertThat(stats.connections()).as("the admitted client's one connection only").isEqualTo(1);
        assertThat(stranger.active()).isZero();
        assertThat(stranger.ready()).isFalse();
    }

    @Test
    public void connectionsFromOneAddressStopAtItsLimitWhileOtherAddressesAreServed() throws Exception {
        OtherLoopback.assumeBindable();
        int limit = 2;
        int flood = 6;
        ServerPool server = keep(newServer(8, s -> s.maxConnectionsPerAddress(limit)));
        QuicTransport dialer = transport();
        for (int i = 0; i < limit; i++) {
            TransportConnection c = RawPeers.dial(dialer, server.localAddress(), QuicSettings.ALPN);
            keep(() -> c.close(0, "test over"));
        }
        Conditions.await("the server holds " + limit + " connections from 127.0.0.1", SLACK,
                () -> server.stats().connections() == limit, server::stats);

        long start = System.nanoTime();
        List<Future<TransportConnection>> dials = new ArrayList<>();
        for (int i = 0; i < flood; i++) {
            dials.add(workers.submit(() -> RawPeers.dial(dialer, server.localAddress(), QuicSettings.ALPN)));
        }
        UdpRelay otherPath = keep(new UdpRelay(server.localAddress(), 2, OTHER_LOOPBACK));
        ClientPool other = keep(newClient(otherPath::address, 2, c -> c));
        other.start();
        awaitFilled(other, server, 2);
        long served = System.nanoTime();
        echoOnce(other, server, 2);

        int refusedDials = 0;
        for (Future<TransportConnection> dial : dials) {
            try {
                TransportConnection c = dial.get(CONNECT_TIMEOUT.plus(SLACK).toMillis(), TimeUnit.MILLISECONDS);
                keep(() -> c.close(0, "test over"));
            } catch (ExecutionException e) {
                assertThat(e.getCause()).as("a dial past the limit fails as a dial does").isInstanceOf(IOException.class);
                refusedDials++;
            }
        }
        long over = System.nanoTime();
        PoolStats stats = server.stats();
        Figures.record(name(), "per-address limit " + limit + ": " + flood + " dials past it refused; other address's"
                + " client filled during them after (ms); all dials ended after (ms)", refusedDials + "; "
                + millis(served - start) + "; " + millis(over - start));
        assertThat(refusedDials).as("dials past the per-address limit").isEqualTo(flood);
        assertThat(stats.connections()).as("connections: the limit from 127.0.0.1, one from 127.0.0.2")
                .isEqualTo(limit + 1);
        assertThat(stats.refusedAtAdmission()).as("first packets dropped, each dial's counted").isGreaterThanOrEqualTo(flood);
        assertThat(stats.failedConnections()).as("handshakes begun past the limit").isZero();
    }

    @Test
    public void anAddressRevokedAtRunTimeLosesItsConnectionAndIsRefusedAtItsNextFirstPacket() throws Exception {
        OtherLoopback.assumeBindable();
        ServerPool server = keep(newServer(8, s -> s));
        UdpRelay keptPath = keep(new UdpRelay(server.localAddress(), 1, OTHER_LOOPBACK));
        ClientPool kept = keep(newClient(keptPath::address, 2, c -> c));
        ClientPool revoked = keep(newClient(server::localAddress, 2, c -> c));
        kept.start();
        revoked.start();
        awaitFilled(kept, server, 2);
        Conditions.await("the server holds both clients' connections", FILL,
                () -> revoked.active() >= 2 && server.stats().connections() == 2, server::stats);

        long start = System.nanoTime();
        server.allowOnly(List.of(OTHER_LOOPBACK.getHostAddress()));
        Conditions.await("127.0.0.1's connection closed and its redial dropped at its first packet", FILL,
                () -> server.stats().connections() == 1 && revoked.active() == 0
                        && server.stats().refusedAtAdmission() > 0, () -> revoked.stats() + " / " + server.stats());
        long refused = System.nanoTime();
        Figures.record(name(), "allow-list revoked at run time: connection closed and redial dropped after (ms)",
                String.valueOf(millis(refused - start)));
        assertThat(server.stats().failedConnections()).as("handshakes the server began with the revoked address")
                .isZero();
        assertThat(kept.active()).as("the allowed client's streams").isEqualTo(2);
        echoOnce(kept, server, 3);
    }

    private static void awaitFilled(ClientPool client, ServerPool server, int n) {
        Conditions.await("client and server hold " + n + " idle streams", FILL,
                () -> client.active() >= n && server.active() >= n,
                () -> client.stats() + " / " + server.stats() + " / last failure "
                        + client.lastConnectFailure().map(Exception::toString).orElse("none"));
    }

    private void echoOnce(ClientPool client, ServerPool server, long seed) throws Exception {
        try (TakenPair pair = TakenPair.take(client, server, true, GET)) {
            Echo.verify(pair.client(), pair.server(), 4096, seed, workers);
        }
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
