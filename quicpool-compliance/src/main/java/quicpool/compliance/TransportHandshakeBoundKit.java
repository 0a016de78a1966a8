// SPDX-License-Identifier: Apache-2.0
package quicpool.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import quicpool.api.ServerPool;
import quicpool.api.spi.QuicSettings;
import quicpool.api.spi.TransportConnection;

/**
 * The server's bound on the whole QUIC and TLS handshake ({@code ServerPoolBuilder.handshakeTimeout}),
 * written once for every transport that sees packets, on loopback: a client whose first flight
 * reaches the server through a {@link UdpRelay} that then goes silent (nothing more reaches the
 * server, nothing comes back) leaves a handshake the server must end within the bound, counted in
 * {@code failedConnections}, with every thread it started ended while the server pool runs on; and
 * while such a handshake holds the only slot ({@code ServerPoolBuilder.maxHandshakes}), a new
 * source is refused at its first packet until the bound frees the slot. The time it took goes to
 * {@link Figures}.
 *
 * <pre>{@code
 * class KwikHandshakeBoundTest extends TransportHandshakeBoundKit {
 *     protected QuicTransport transport() { return new KwikTransport(); }
 * }
 * }</pre>
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
public abstract class TransportHandshakeBoundKit extends TransportKit {
    private static final Duration BOUND = Duration.ofSeconds(1);
    /** Beyond the bound: the timer's and the stack's own delays on a loaded machine. */
    private static final Duration SLACK = Duration.ofSeconds(3);
    private static final Duration CLEAN = Duration.ofSeconds(10);

    protected TransportHandshakeBoundKit() {
        super("bound-kit-");
    }

    @Test
    public void aHandshakeAbandonedAfterTheClientsFirstFlightIsEndedWithinTheBoundAndLeavesNoThread()
            throws Exception {
        ServerPool server = keep(newServer(4, s -> s.handshakeTimeout(BOUND)));
        // A handshake that completes first: threads the transports start once per process are then in the baseline.
        TransportConnection warm = RawPeers.dial(transport(), server.localAddress(), QuicSettings.ALPN);
        warm.close(0, "warm-up done");
        Conditions.await("the warm-up connection gone", CLEAN, () -> server.stats().connections() == 0, server::stats);
        ProcessResources before = ProcessResources.snapshot();
        long failedBefore = server.stats().failedConnections();

        UdpRelay relay = keep(new UdpRelay(server.localAddress(), 1));
        relay.silenceAfter(1);
        long start = System.nanoTime();
        Future<TransportConnection> dial = workers.submit(
                () -> RawPeers.dial(transport(), relay.address(), QuicSettings.ALPN));
        Conditions.await("the server ends the abandoned handshake", BOUND.plus(SLACK),
                () -> server.stats().failedConnections() > failedBefore, server::stats);
        Duration ended = Duration.ofNanos(System.nanoTime() - start);

        assertThat(ended).as("the handshake ended, not before its bound").isGreaterThanOrEqualTo(BOUND.minusMillis(100));
        assertThat(server.stats().connections()).as("connections the server holds").isZero();
        assertThatThrownBy(() -> dial.get(CLEAN.toMillis(), TimeUnit.MILLISECONDS))
                .as("the silent client's dial, which heard nothing back").isInstanceOf(ExecutionException.class);
        forget(relay);
        relay.close();
        long cleaning = System.nanoTime();
        before.awaitBackToThis(poolOrTransportThread(), CLEAN);
        Figures.record(name(), "handshake bound " + BOUND.toMillis() + " ms: abandoned handshake ended after (ms);"
                + " its threads gone after the dial failed (ms)", TimeUnit.NANOSECONDS.toMillis(ended.toNanos()) + "; "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cleaning));
    }

    @Test
    public void aNewSourceIsRefusedAtAdmissionWhileTheHandshakesInProgressAreAtTheCap() throws Exception {
        Duration bound = Duration.ofSeconds(4);
        ServerPool server = keep(newServer(4, s -> s.handshakeTimeout(bound).maxHandshakes(1)));
        UdpRelay relay = keep(new UdpRelay(server.localAddress(), 2));
        relay.silenceAfter(1);
        Future<TransportConnection> silent = workers.submit(
                () -> RawPeers.dial(transport(), relay.address(), QuicSettings.ALPN));
        Conditions.await("the silent client's first flight forwarded", SLACK, () -> relay.forwarded() >= 1,
                relay::toString);
        long refusedBefore = server.stats().refusedAtAdmission();

        assertThatThrownBy(() -> RawPeers.dial(transport(), server.localAddress(), QuicSettings.ALPN))
                .as("a dial while the one handshake slot is held").isInstanceOf(IOException.class);
        assertThat(server.stats().refusedAtAdmission()).as("its first packets, dropped at admission")
                .isGreaterThan(refusedBefore);
        assertThat(server.stats().connections()).isZero();

        Conditions.await("the silent handshake ended at its bound", bound.plus(SLACK),
                () -> server.stats().failedConnections() > 0, server::stats);
        TransportConnection served = RawPeers.dial(transport(), server.localAddress(), QuicSettings.ALPN);
        served.close(0, "test over");
        assertThatThrownBy(() -> silent.get(CLEAN.toMillis(), TimeUnit.MILLISECONDS))
                .isInstanceOf(ExecutionException.class);
    }
}
