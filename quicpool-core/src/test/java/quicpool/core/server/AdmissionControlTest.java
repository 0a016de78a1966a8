// SPDX-License-Identifier: Apache-2.0
package quicpool.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The allow-list and the connection limits, at the first packet and at a completed handshake. */
@Timeout(10)
class AdmissionControlTest {
    private static final InetSocketAddress FRIEND_1 = new InetSocketAddress("10.0.0.1", 1001);
    private static final InetSocketAddress FRIEND_1_OTHER_PORT = new InetSocketAddress("10.0.0.1", 1002);
    private static final InetSocketAddress FRIEND_2 = new InetSocketAddress("10.0.0.2", 1001);
    private static final InetSocketAddress FRIEND_3 = new InetSocketAddress("10.0.0.3", 1001);
    private static final InetSocketAddress STRANGER = new InetSocketAddress("192.0.2.9", 1001);

    private static final Duration HANDSHAKE_BOUND = Duration.ofSeconds(10);

    private final List<String> lines = new ArrayList<>();
    /** The admission's clock, in nanoseconds: moved by the tests. */
    private long now;

    private AdmissionControl control(int maxConnections, int maxPerAddress) {
        return control(maxConnections, maxPerAddress, 100);
    }

    private AdmissionControl control(int maxConnections, int maxPerAddress, int maxHandshakes) {
        return new AdmissionControl(a -> a.getHostAddress().startsWith("10."), maxConnections, maxPerAddress,
                maxHandshakes, HANDSHAKE_BOUND, () -> now,
                new RefusalLog(() -> "S", Duration.ofSeconds(10), System::nanoTime, lines::add));
    }

    @Test
    void aSourceOutsideTheAllowListIsRefusedAtEveryPacketCountedAndLoggedOnce() {
        AdmissionControl c = control(10, 10);
        assertThat(c.admits(STRANGER)).isFalse();
        assertThat(c.admits(STRANGER)).isFalse();
        assertThat(c.admits(FRIEND_1)).isTrue();
        assertThat(c.refusedPackets()).isEqualTo(2);
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).contains(STRANGER.toString()).contains("unauthorized IP");
        assertThat(c.open(STRANGER)).isEqualTo(AdmissionControl.UNAUTHORIZED);
        assertThat(c.connections()).isZero();
    }

    @Test
    void anAddressAtItsLimitIsRefusedWhateverItsPortUntilOneOfItsConnectionsEnds() {
        AdmissionControl c = control(10, 2);
        assertThat(c.open(FRIEND_1)).isNull();
        assertThat(c.admits(FRIEND_1_OTHER_PORT)).isTrue();
        assertThat(c.open(FRIEND_1_OTHER_PORT)).isNull();
        assertThat(c.admits(FRIEND_1)).isFalse();
        assertThat(c.open(FRIEND_1)).as("a handshake that raced past the first-packet check")
                .isEqualTo(AdmissionControl.ADDRESS_FULL);
        assertThat(c.admits(FRIEND_2)).as("another address").isTrue();
        c.closed(FRIEND_1);
        assertThat(c.admits(FRIEND_1)).isTrue();
        assertThat(c.open(FRIEND_1)).isNull();
        assertThat(c.connections()).isEqualTo(2);
    }

    @Test
    void aFullServerRefusesEveryoneUntilAConnectionEnds() {
        AdmissionControl c = control(2, 2);
        assertThat(c.open(FRIEND_1)).isNull();
        assertThat(c.open(FRIEND_2)).isNull();
        assertThat(c.admits(FRIEND_3)).isFalse();
        assertThat(c.open(FRIEND_3)).isEqualTo(AdmissionControl.SERVER_FULL);
        assertThat(c.connections()).isEqualTo(2);
        c.closed(FRIEND_2);
        assertThat(c.admits(FRIEND_3)).isTrue();
        assertThat(c.open(FRIEND_3)).isNull();
        assertThat(c.refusedPackets()).as("only first packets are counted here").isEqualTo(1);
    }

    @Test
    void newSourcesAreRefusedWhileTheHandshakesInProgressAreAtTheCapUntilOneEndsOrOutlivesItsBound() {
        AdmissionControl c = control(10, 10, 2);
        assertThat(c.admits(FRIEND_1)).isTrue();
        assertThat(c.admits(FRIEND_2)).isTrue();
        assertThat(c.admits(FRIEND_1)).as("another datagram of a handshake in progress").isTrue();
        assertThat(c.admits(FRIEND_3)).as("a third handshake").isFalse();
        assertThat(lines.get(0)).contains(FRIEND_3.toString()).contains(AdmissionControl.HANDSHAKES_FULL);
        assertThat(c.refusedPackets()).isEqualTo(1);

        c.handshakeEnded(FRIEND_1);
        assertThat(c.open(FRIEND_1)).isNull();
        assertThat(c.admits(FRIEND_1)).as("a late Initial of the completed handshake").isTrue();
        assertThat(c.admits(FRIEND_3)).as("a slot freed by a completed handshake").isTrue();
        assertThat(c.admits(FRIEND_1_OTHER_PORT)).as("both slots held").isFalse();

        now += HANDSHAKE_BOUND.toNanos() - 1;
        assertThat(c.admits(FRIEND_1_OTHER_PORT)).as("no handshake has outlived its bound yet").isFalse();
        now += 1;
        assertThat(c.admits(FRIEND_1_OTHER_PORT)).as("slots of handshakes past their bound swept").isTrue();
        assertThat(c.handshakesInProgress()).isEqualTo(1);
    }
}
