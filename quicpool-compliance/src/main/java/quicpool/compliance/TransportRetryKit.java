// SPDX-License-Identifier: Apache-2.0
package quicpool.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import quicpool.api.ClientPool;
import quicpool.api.ServerPool;
import quicpool.api.spi.Capability;

/**
 * QUIC Retry ({@code ServerPoolBuilder.retry(true)}), written once for every transport that sends
 * real QUIC packets. Where the transport claims {@link Capability#RETRY}: clients still fill and
 * echo; a client's first Initial, replayed from a socket that never answers, gets a Retry and no
 * handshake packet, and the server reports no connection for it. Where it does not: building a
 * server pool with Retry on fails, naming the transport. On every transport, with Retry off the
 * same Initial gets the server's handshake, as before.
 *
 * <pre>{@code
 * class KwikRetryTest extends TransportRetryKit {
 *     protected QuicTransport transport() { return new KwikTransport(); }
 * }
 * }</pre>
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
public abstract class TransportRetryKit extends TransportKit {
    private static final Duration FILL = Duration.ofSeconds(10);
    private static final Duration GET = Duration.ofSeconds(5);
    /** How long the replaying socket listens for the server's answers: several handshake retransmissions. */
    private static final Duration LISTEN = Duration.ofMillis(1500);

    protected TransportRetryKit() {
        super("retry-kit-");
    }

    @Test
    public void withRetryOnAClientPoolStillFillsAndEchoes() throws Exception {
        Assumptions.assumeTrue(Claims.claims(transport(), Capability.RETRY, "a pool fills and echoes with Retry on"));
        ServerPool server = keep(newServer(4, s -> s.retry(true)));
        ClientPool client = keep(newClient(server::localAddress, 4, c -> c));
        long start = System.nanoTime();
        client.start();
        Conditions.await("client and server hold 4 idle streams", FILL,
                () -> client.active() >= 4 && server.active() >= 4,
                () -> client.stats() + " / " + server.stats() + " / last failure "
                        + client.lastConnectFailure().map(Exception::toString).orElse("none"));
        Figures.record(name(), "retry on: 4-stream pool filled after (ms)",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        try (TakenPair pair = TakenPair.take(client, server, true, GET)) {
            Echo.verify(pair.client(), pair.server(), 4096, 1, workers);
        }
        assertThat(server.stats().connections()).as("the client's connections, each past a Retry").isPositive();
    }

    @Test
    public void withoutTheCapabilityRetryIsRefusedWhenThePoolIsBuilt() {
        Assumptions.assumeFalse(transport().capabilities().contains(Capability.RETRY),
                "the transport claims Capability.RETRY");
        assertThatThrownBy(() -> newServer(4, s -> s.retry(true)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("transport " + transport().name())
                .hasMessageContaining("Capability.RETRY");
    }

    @Test
    public void withRetryOnAFirstInitialGetsARetryAndNoHandshake() throws Exception {
        Assumptions.assumeTrue(Claims.claims(transport(), Capability.RETRY,
                "a first Initial gets a Retry and no handshake"));
        byte[] initial = CapturedInitial.capture(transport(), workers);
        ServerPool server = keep(newServer(4, s -> s.retry(true)));

        List<Integer> answers = replay(initial, server.localAddress());

        assertThat(answers).as("long-header packet types the server answered the Initial with (3 = Retry)")
                .isNotEmpty().containsOnly(LongHeaders.RETRY);
        Conditions.holdsFor("the server holds no connection and began no handshake", LISTEN,
                () -> server.stats().connections() == 0 && server.stats().failedConnections() == 0, server::stats);
    }

    @Test
    public void withRetryOffAFirstInitialGetsTheServersHandshake() throws Exception {
        byte[] initial = CapturedInitial.capture(transport(), workers);
        ServerPool server = keep(newServer(4, s -> s));

        List<Integer> answers = replay(initial, server.localAddress());

        assertThat(answers).as("long-header packet types the server answered the Initial with (0 = Initial, 2 ="
                + " Handshake)").contains(LongHeaders.INITIAL, LongHeaders.HANDSHAKE).doesNotContain(LongHeaders.RETRY);
    }

    /**
     * Sends {@code initial} to {@code server} from a new socket that never answers, and returns the
     * long-header packet types of every datagram that comes back within {@link #LISTEN}.
     */
    private static List<Integer> replay(byte[] initial, InetSocketAddress server) throws IOException {
        List<Integer> types = new ArrayList<>();
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            socket.send(new DatagramPacket(initial, initial.length, server));
            long end = System.nanoTime() + LISTEN.toNanos();
            DatagramPacket in = new DatagramPacket(new byte[2048], 2048);
            for (long left = LISTEN.toMillis(); left > 0; left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())) {
                socket.setSoTimeout((int) left);
                try {
                    socket.receive(in);
                } catch (SocketTimeoutException e) {
                    break;
                }
                types.addAll(LongHeaders.types(in.getData(), in.getLength()));
            }
        }
        return types;
    }
}
