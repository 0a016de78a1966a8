// SPDX-License-Identifier: Apache-2.0
package quicpool.examples.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import quicpool.api.ClientPool;
import quicpool.compliance.Conditions;
import quicpool.compliance.UdpRelay;

/**
 * Nobody but the holder of the secret gets into the tunnel, over real QUIC: a wrong secret (or a
 * bare HELLO) is refused on the control channel and its address gets no QUIC admission; a
 * stranger at another address is dropped at its first QUIC packet while the authenticated client
 * tunnels a user's bytes end to end, and no user byte reaches the stranger.
 */
@Timeout(30)
class TunnelSecurityTest {
    private static final Duration SHORT = Duration.ofMillis(1500);
    /** Loopback too (127/8 on Linux), but not the tunnel client's 127.0.0.1. */
    private static final InetAddress STRANGER = new InetSocketAddress("127.0.0.2", 0).getAddress();

    @ParameterizedTest
    @ValueSource(strings = {"kwik", "netty"})
    void aWrongSecretOrABareHelloIsRefusedAndItsAddressGetsNoQuicAdmission(String transport) throws Exception {
        try (TunnelServer server = TunnelFixture.startServer(SHORT, transport)) {
            Secret wrong = Secret.of("not the server's secret at all");
            assertThat(handshake(server, nonce -> Control.AUTH + wrong.answer(nonce)))
                    .isEqualTo("ERR authentication failed");
            assertThat(handshake(server, nonce -> Control.HELLO + "0123abcd"))
                    .as("a HELLO without the secret").isEqualTo("ERR authentication failed");

            try (ClientPool dialer = TunnelFixture.clientPool(server.quicAddress(), transport)
                    .capacity(2, 2).connectTimeout(SHORT).build()) {
                dialer.start();
                Conditions.await("the refused address's QUIC dial failed", TunnelFixture.WAIT,
                        () -> dialer.lastConnectFailure().isPresent(), dialer::stats);
                assertThat(server.pool().stats().refusedAtAdmission()).as("its first packets, dropped").isPositive();
                assertThat(server.pool().stats().connections()).isZero();
                assertThat(server.pool().stats().failedConnections()).as("handshakes begun with it").isZero();
            }
            assertThat(server.awaitClient(Duration.ZERO)).as("no tunnel client").isFalse();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"kwik", "netty"})
    void aStrangersQuicDialIsRefusedAtAdmissionWhileTheClientTunnelsBytesEndToEnd(String transport) throws Exception {
        assumeTrue(bindable(STRANGER), "127.0.0.2 cannot be bound here");
        try (ServerSocket target = new ServerSocket(0, 50, TunnelFixture.LOOPBACK);
             TunnelFixture tunnel = TunnelFixture.start((InetSocketAddress) target.getLocalSocketAddress(),
                     TunnelFixture.WAIT, transport);
             UdpRelay strangerPath = new UdpRelay(tunnel.server.quicAddress(), 1, STRANGER);
             ClientPool stranger = TunnelFixture.clientPool(strangerPath.address(), transport)
                     .capacity(2, 2).connectTimeout(SHORT).build()) {
            target.setSoTimeout((int) TunnelFixture.WAIT.toMillis());
            stranger.start();
            Conditions.await("the stranger's QUIC dial failed", TunnelFixture.WAIT,
                    () -> stranger.lastConnectFailure().isPresent(), stranger::stats);
            assertThat(strangerPath.fromServer()).as("datagrams the server sent the stranger").isZero();

            byte[] request = "GET / from a user".getBytes(StandardCharsets.US_ASCII);
            try (Socket user = tunnel.connectUser()) {
                user.getOutputStream().write(request);
                try (Socket atTarget = target.accept()) {
                    atTarget.setSoTimeout((int) TunnelFixture.WAIT.toMillis());
                    assertThat(atTarget.getInputStream().readNBytes(request.length)).isEqualTo(request);
                    atTarget.getOutputStream().write("pong".getBytes(StandardCharsets.US_ASCII));
                    assertThat(user.getInputStream().readNBytes(4)).isEqualTo("pong".getBytes(StandardCharsets.US_ASCII));
                }
            }
            assertThat(stranger.active()).as("streams the stranger holds").isZero();
            assertThat(tunnel.server.pool().stats().connections())
                    .as("the server pool's connections: the tunnel client's only")
                    .isEqualTo(tunnel.client.pool().stats().connections());
        }
    }

    /** Opens the control channel over TLS, answers the challenge with {@code reply}, returns the server's answer. */
    private static String handshake(TunnelServer server, UnaryOperator<String> reply) throws Exception {
        try (Socket plain = TunnelFixture.connect(server.controlAddress());
             SSLSocket socket = (SSLSocket) TunnelFixture.controlTls().getSocketFactory()
                     .createSocket(plain, "localhost", plain.getPort(), true)) {
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            String nonce = Control.after(Control.CHALLENGE, in.readLine());
            assertThat(nonce).as("the server's challenge").matches("[0-9a-f]{64}");
            socket.getOutputStream().write((reply.apply(nonce) + "\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String answer = in.readLine();
            assertThat(in.readLine()).as("the server closes the channel after refusing").isNull();
            return answer;
        }
    }

    private static boolean bindable(InetAddress address) {
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(address, 0))) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
