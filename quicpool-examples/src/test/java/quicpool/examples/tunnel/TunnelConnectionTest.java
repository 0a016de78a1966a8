// SPDX-License-Identifier: Apache-2.0
package quicpool.examples.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How one user connection behaves end to end: bytes, half-close and close, failures. */
@Timeout(30)
class TunnelConnectionTest {
    private ServerSocket target;

    @BeforeEach
    void bindTarget() throws IOException {
        target = new ServerSocket(0, 50, TunnelFixture.LOOPBACK);
        target.setSoTimeout((int) TunnelFixture.WAIT.toMillis());
    }

    @AfterEach
    void closeTarget() throws IOException {
        target.close();
    }

    private java.net.InetSocketAddress targetAddress() {
        return (java.net.InetSocketAddress) target.getLocalSocketAddress();
    }

    /** Accepts one connection on the target, reads bounded by the fixture's wait. */
    private Socket acceptAtTarget() throws IOException {
        Socket s = target.accept();
        s.setSoTimeout((int) TunnelFixture.WAIT.toMillis());
        return s;
    }

    @Test
    void halfCloseGoesThroughBothWays() throws Exception {
        byte[] request = new byte[1 << 20];
        ThreadLocalRandom.current().nextBytes(request);
        try (TunnelFixture tunnel = TunnelFixture.start(targetAddress()); Socket user = tunnel.connectUser()) {
            user.getOutputStream().write(request);
            user.shutdownOutput();
            try (Socket atTarget = acceptAtTarget()) {
                byte[] received = atTarget.getInputStream().readAllBytes(); // ends only at the user's FIN
                assertThat(Arrays.equals(received, request)).as("request arrived intact, then EOF").isTrue();
                atTarget.getOutputStream().write(("got " + received.length).getBytes(StandardCharsets.US_ASCII));
                atTarget.shutdownOutput();
                assertThat(new String(user.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                        .isEqualTo("got " + request.length);
            }
        }
    }

    @Test
    void targetClosingClosesTheUsersSide() throws Exception {
        try (TunnelFixture tunnel = TunnelFixture.start(targetAddress()); Socket user = tunnel.connectUser()) {
            user.getOutputStream().write('?'); // the user's first byte makes the tunnel dial the target
            try (Socket atTarget = acceptAtTarget()) {
                assertThat(atTarget.getInputStream().read()).isEqualTo('?');
                atTarget.getOutputStream().write("bye".getBytes(StandardCharsets.US_ASCII));
            } // the target closes

            assertThat(new String(user.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("bye");
            // and the rest of the connection is gone too: writing on fails within the bound
            assertThat(writesFailWithin(user, TunnelFixture.WAIT)).as("user's writes fail after the target closed").isTrue();
        }
    }

    @Test
    void userClosingClosesTheTargetsSide() throws Exception {
        try (TunnelFixture tunnel = TunnelFixture.start(targetAddress())) {
            try (Socket user = tunnel.connectUser()) {
                user.getOutputStream().write("hi".getBytes(StandardCharsets.US_ASCII));
            }
            try (Socket atTarget = acceptAtTarget()) {
                assertThat(new String(atTarget.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("hi");
                assertThat(writesFailWithin(atTarget, TunnelFixture.WAIT)).as("target's writes fail after the user closed").isTrue();
            }
        }
    }

    /**
     * Three times the client pool's minimum of users at once, each holding its stream: those that
     * find no ready stream wait for one off the accepting thread, and every one reaches the target.
     */
    @Test
    void usersBeyondTheReadyStreamsWaitForOneAndAllArrive() throws Exception {
        int users = 48;
        List<Socket> open = new ArrayList<>();
        try (TunnelFixture tunnel = TunnelFixture.start(targetAddress())) {
            for (int i = 0; i < users; i++) {
                Socket user = tunnel.connectUser();
                open.add(user);
                user.getOutputStream().write(i);
            }
            Set<Integer> arrived = new HashSet<>();
            for (int i = 0; i < users; i++) {
                Socket atTarget = acceptAtTarget();
                open.add(atTarget);
                arrived.add(atTarget.getInputStream().read());
            }
            assertThat(arrived).hasSize(users).allMatch(b -> b >= 0 && b < users);
        } finally {
            for (Socket s : open) {
                s.close();
            }
        }
    }

    @Test
    void unreachableTargetClosesTheUser() throws Exception {
        try (TunnelFixture tunnel = TunnelFixture.start(TunnelFixture.deadAddress()); Socket user = tunnel.connectUser()) {
            assertThat(readsEndWithin(user)).isTrue();
        }
    }

    @Test
    void userArrivingWithoutTunnelClientIsClosed() throws Exception {
        try (TunnelServer server = TunnelFixture.startServer(TunnelFixture.WAIT, null);
             Socket user = TunnelFixture.connect(server.publicAddress())) {
            assertThat(readsEndWithin(user)).isTrue();
        }
    }

    @Test
    void theTunnelFollowsAClientThatComesBack() throws Exception {
        try (TunnelServer server = TunnelFixture.startServer(TunnelFixture.WAIT, null)) {
            try (TunnelClient first = TunnelFixture.startClient(server, targetAddress(), TunnelFixture.WAIT, null)) {
                assertThat(first.awaitConnected(TunnelFixture.WAIT)).isTrue();
                assertThat(server.awaitClient(TunnelFixture.WAIT)).isTrue();
            }
            try (TunnelClient second = TunnelFixture.startClient(server, targetAddress(), TunnelFixture.WAIT, null)) {
                assertThat(second.awaitConnected(TunnelFixture.WAIT)).isTrue();
                try (Socket user = TunnelFixture.connect(server.publicAddress())) {
                    user.getOutputStream().write('!');
                    try (Socket atTarget = acceptAtTarget()) {
                        assertThat(atTarget.getInputStream().read()).isEqualTo('!');
                    }
                }
            }
        }
    }

    @Test
    void closeEndsEveryThreadAndConnection() throws Exception {
        Socket user;
        Socket atTarget;
        TunnelFixture tunnel = TunnelFixture.start(targetAddress());
        try {
            user = tunnel.connectUser();
            user.getOutputStream().write('x');
            atTarget = acceptAtTarget();
            assertThat(atTarget.getInputStream().read()).isEqualTo('x');
        } finally {
            tunnel.close();
        }
        try (user; atTarget) {
            assertThat(readsEndWithin(user)).as("user connection closed").isTrue();
            assertThat(readsEndWithin(atTarget)).as("target connection closed").isTrue();
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (tunnelThread().test(t)) {
                    t.join(TunnelFixture.WAIT.toMillis()); // close() waited for the tasks; the thread itself exits just after
                }
            }
            assertThat(Thread.getAllStackTraces().keySet()).noneMatch(tunnelThread());
            assertThatThrownBy(() -> TunnelFixture.connect(tunnel.server.publicAddress())).isInstanceOf(IOException.class);
        }
    }

    private static Predicate<Thread> tunnelThread() {
        return t -> t.isAlive() && (t.getName().startsWith("tunnel-server-") || t.getName().startsWith("tunnel-client-"));
    }

    /** True if reading reaches EOF or a reset (not a read timeout) within the socket's timeout. */
    private static boolean readsEndWithin(Socket socket) {
        try {
            InputStream in = socket.getInputStream();
            while (in.read() >= 0) {
                // drain
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    /**
     * Writes until the connection reports it is gone. Each write travels the tunnel; the first
     * after the far end closed comes back as a reset, the next one fails.
     */
    private static boolean writesFailWithin(Socket socket, Duration bound) throws InterruptedException {
        CompletableFuture<Boolean> failed = CompletableFuture.supplyAsync(() -> {
            byte[] chunk = new byte[1024];
            try {
                OutputStream out = socket.getOutputStream();
                while (true) {
                    out.write(chunk);
                    out.flush();
                }
            } catch (IOException e) {
                return true;
            }
        });
        try {
            return failed.get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return false;
        }
    }
}
