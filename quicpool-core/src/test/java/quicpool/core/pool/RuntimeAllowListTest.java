// SPDX-License-Identifier: Apache-2.0
package quicpool.core.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import quicpool.api.ClientPool;
import quicpool.api.QuicPools;
import quicpool.api.StreamConn;
import quicpool.compliance.Conditions;
import quicpool.testkit.InMemoryTransport;

/** {@code ServerPool.allowOnly} and {@code allowAnyone}: the allow-list changed while the server runs. */
@Timeout(30)
class RuntimeAllowListTest {
    private static final Duration BOUND = Duration.ofSeconds(10);

    @Test
    void revokingAnAddressClosesItsConnectionsAndRefusesItsRedialsWhileAnAllowedOneIsServed() throws Exception {
        try (PoolPair p = new PoolPair(s -> s, c -> c.capacity(2, 2));
             ClientPool other = otherClient(p, "10.9.8.7")) {
            p.client.start();
            other.start();
            Conditions.await("both clients hold their streams", BOUND,
                    () -> p.client.active() == 2 && other.active() == 2 && p.server.stats().connections() == 2,
                    () -> p.client.stats() + " / " + other.stats() + " / " + p.server.stats());

            p.server.allowOnly(List.of("10.9.0.0/16"));

            Conditions.await("the revoked client's connection closed and its redials refused", BOUND,
                    () -> p.server.stats().connections() == 1 && p.client.active() == 0
                            && p.client.lastConnectFailure().isPresent(),
                    () -> p.client.stats() + " / " + p.server.stats());
            assertThat(p.client.lastConnectFailure()).get().asString().contains("unauthorized IP");
            assertThat(other.active()).as("the allowed client's streams").isEqualTo(2);
            echoOneByte(p, other);
        }
    }

    @Test
    void anEmptyListAdmitsNobodyUntilTheClientIsAllowed() throws Exception {
        try (PoolPair p = new PoolPair(s -> s, c -> c.capacity(2, 2))) {
            p.server.allowOnly(List.of());
            p.client.start();
            Conditions.await("a dial was refused", BOUND, () -> p.client.lastConnectFailure().isPresent());
            assertThat(p.client.lastConnectFailure()).get().asString().contains("unauthorized IP");
            assertThat(p.server.stats().connections()).isZero();

            p.server.allowOnly(List.of("127.0.0.1"));
            p.awaitFilled(2);
            p.server.allowAnyone();
            assertThat(p.server.stats().connections()).as("allowAnyone closes nothing").isEqualTo(1);
        }
    }

    @Test
    void aBadEntryIsNamedAndLeavesTheListAsItWas() {
        try (PoolPair p = new PoolPair(s -> s.allowClient("127.0.0.1"), c -> c.capacity(2, 2))) {
            assertThatThrownBy(() -> p.server.allowOnly(List.of("10.0.0.1", "not-an-ip")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("\"not-an-ip\"").hasMessageContaining("CIDR");
            assertThatThrownBy(() -> p.server.allowOnly(null)).isInstanceOf(NullPointerException.class);
            p.client.start();
            p.awaitFilled(2);
        }
    }

    private static ClientPool otherClient(PoolPair p, String address) throws Exception {
        InMemoryTransport transport = new InMemoryTransport(p.network).clientAddress(InetAddress.getByName(address));
        return QuicPools.client()
                .serverAddress(p.server.localAddress())
                .hostname("localhost")
                .pinCertificate(PoolPair.CERT.certificate())
                .capacity(2, 2)
                .refillInterval(Duration.ofMillis(10), Duration.ofMillis(50))
                .transport(transport)
                .build();
    }

    private static void echoOneByte(PoolPair p, ClientPool client) throws Exception {
        try (StreamConn s = p.server.incomingGet(BOUND); StreamConn c = client.outgoingGet(s.id(), BOUND)) {
            c.outputStream().write(42);
            c.outputStream().flush();
            assertThat(s.inputStream().read()).isEqualTo(42);
        }
    }
}
