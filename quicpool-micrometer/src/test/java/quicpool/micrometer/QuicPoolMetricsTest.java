// SPDX-License-Identifier: Apache-2.0
package quicpool.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import quicpool.api.PoolTimeoutException;
import quicpool.api.StreamConn;
import quicpool.compliance.Conditions;
import quicpool.compliance.PoolFixture;
import quicpool.testkit.InMemoryNetwork;
import quicpool.testkit.InMemoryTransport;

/** QuicPoolMetrics on a real SimpleMeterRegistry, for a client and a server pool on the in-memory transport. */
@Timeout(60)
class QuicPoolMetricsTest {
    private static final Tags SERVER = Tags.of("pool", "edge", "role", "server", "transport", InMemoryTransport.NAME);
    private static final Tags CLIENT = Tags.of("pool", "tunnel", "role", "client", "transport", InMemoryTransport.NAME,
            "app", "test");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final InMemoryTransport transport = new InMemoryTransport(new InMemoryNetwork());

    private double gauge(String name, Tags tags) {
        return registry.get(name).tags(tags).gauge().value();
    }

    private double counter(String name, Tags tags) {
        return registry.get(name).tags(tags).functionCounter().count();
    }

    @Test
    void theMetersShowThePoolsFiguresAndTheWaitsOfItsGetsAndCloseRemovesThem() throws Exception {
        try (PoolFixture f = new PoolFixture(transport, transport,
                s -> s.name("edge").maxCapacity(4).metrics(new QuicPoolMetrics(registry)),
                c -> c.name("tunnel").capacity(4, 4).metrics(new QuicPoolMetrics(registry, Tags.of("app", "test"))))) {
            CompletableFuture<StreamConn> waiting = f.server.incomingGetAsync(Duration.ofSeconds(20));
            assertThat(gauge(QuicPoolMetrics.WAITING, SERVER)).isEqualTo(1);
            f.client.start();
            StreamConn serverEnd = waiting.get(20, TimeUnit.SECONDS);
            StreamConn clientEnd = f.client.outgoingGet(serverEnd.id(), Duration.ofSeconds(10));
            assertThatThrownBy(() -> f.server.outgoingGet("0badf00d", Duration.ofMillis(20)))
                    .isInstanceOf(PoolTimeoutException.class);
            // the client refills the one it lost: 4 idle at each end, 5 opened, 1 in use
            Conditions.await("both ends hold 4 idle streams", Duration.ofSeconds(20),
                    () -> f.client.active() == 4 && f.server.active() == 4, () -> f.client.stats() + " / " + f.server.stats());

            for (Tags end : new Tags[] {SERVER, CLIENT}) {
                assertThat(gauge(QuicPoolMetrics.IDLE, end)).isEqualTo(4);
                assertThat(gauge(QuicPoolMetrics.TARGET, end)).isEqualTo(4);
                assertThat(gauge(QuicPoolMetrics.IN_USE, end)).isEqualTo(1);
                assertThat(gauge(QuicPoolMetrics.WAITING, end)).isZero();
                assertThat(gauge(QuicPoolMetrics.CONNECTIONS, end)).isEqualTo(1);
                assertThat(counter(QuicPoolMetrics.OPENED, end)).isEqualTo(5);
                assertThat(counter(QuicPoolMetrics.TAKEN, end)).isEqualTo(1);
                assertThat(counter(QuicPoolMetrics.EVICTED, end)).isZero();
                assertThat(counter(QuicPoolMetrics.REFUSED, end)).isZero();
                assertThat(counter(QuicPoolMetrics.FAILED_CONNECTIONS, end)).isZero();
                assertThat(registry.get(QuicPoolMetrics.GET_WAIT).tags(end).tag("outcome", "taken").timer().count())
                        .isEqualTo(1);
            }
            assertThat(registry.get(QuicPoolMetrics.GET_WAIT).tags(SERVER).tag("outcome", "taken").timer()
                    .totalTime(TimeUnit.NANOSECONDS)).as("the server's get waited for the client's first streams").isPositive();
            var timedOut = registry.get(QuicPoolMetrics.GET_WAIT).tags(SERVER).tag("outcome", "timed_out").timer();
            assertThat(timedOut.count()).isEqualTo(1);
            assertThat(timedOut.totalTime(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(20);

            clientEnd.close();
            serverEnd.close();
            assertThat(gauge(QuicPoolMetrics.IN_USE, CLIENT)).isZero();
            assertThat(gauge(QuicPoolMetrics.IN_USE, SERVER)).isZero();
        }
        assertThat(registry.find(QuicPoolMetrics.IDLE).meters()).as("close() removed every pool's meters").isEmpty();
        assertThat(registry.getMeters()).isEmpty();
    }

    @Test
    void nullArgumentsAreRefusedNamingThem() {
        assertThatThrownBy(() -> new QuicPoolMetrics(null)).isInstanceOf(NullPointerException.class).hasMessage("registry");
        assertThatThrownBy(() -> new QuicPoolMetrics(registry, null)).isInstanceOf(NullPointerException.class)
                .hasMessage("tags");
    }
}
