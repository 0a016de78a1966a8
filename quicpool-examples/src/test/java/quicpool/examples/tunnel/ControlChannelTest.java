// SPDX-License-Identifier: Apache-2.0
package quicpool.examples.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The control channel admits only a client that holds a stream of the server's pool. */
@Timeout(30)
class ControlChannelTest {

    @Test
    void strangersAreRefusedAndTheTunnelKeepsWorking() throws Exception {
        try (ServerSocket target = new ServerSocket(0, 50, TunnelFixture.LOOPBACK);
             TunnelFixture tunnel = TunnelFixture.start((java.net.InetSocketAddress) target.getLocalSocketAddress(),
                     Duration.ofMillis(500))) {
            target.setSoTimeout((int) TunnelFixture.WAIT.toMillis());

            assertThat(say(tunnel, "hello there")).startsWith("ERR expected");
            assertThat(say(tunnel, "HELLO 0123abcd")).isEqualTo("ERR stream 0123abcd is not in this server's pool");

            try (Socket user = tunnel.connectUser()) {
                user.getOutputStream().write('!');
                try (Socket atTarget = target.accept()) {
                    atTarget.setSoTimeout((int) TunnelFixture.WAIT.toMillis());
                    assertThat(atTarget.getInputStream().read()).as("the real client still serves users").isEqualTo('!');
                }
            }
        }
    }

    /** Connects to the control port, sends one line, returns the server's answer. */
    private static String say(TunnelFixture tunnel, String line) throws Exception {
        try (Socket control = TunnelFixture.connect(tunnel.server.controlAddress())) {
            control.getOutputStream().write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            return new BufferedReader(new InputStreamReader(control.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        }
    }
}
