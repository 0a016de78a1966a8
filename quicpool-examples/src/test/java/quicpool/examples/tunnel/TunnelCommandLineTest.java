// SPDX-License-Identifier: Apache-2.0
package quicpool.examples.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The command line: help, and bad arguments named with exit status 2. */
@Timeout(30)
class TunnelCommandLineTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return run(Map.of(Secret.ENVIRONMENT_VARIABLE, "a secret of 16+ characters"), args);
    }

    private int run(Map<String, String> env, String... args) {
        return Tunnel.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void neitherEndStartsWithoutASecretOfSixteenCharacters() {
        assertThat(run(Map.of(), "server", "--public", "127.0.0.1:0", "--listen", "127.0.0.1:0", "--self-signed"))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("a secret is required: --secret TEXT or the"
                + " environment variable QUICPOOL_TUNNEL_SECRET");
        err.reset();
        assertThat(run(Map.of(), "client", "--server", "127.0.0.1:10101", "--target", "127.0.0.1:80")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("a secret is required");
        err.reset();
        assertThat(run(Map.of(Secret.ENVIRONMENT_VARIABLE, "short"), "client", "--server", "127.0.0.1:10101",
                "--target", "127.0.0.1:80")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("QUICPOOL_TUNNEL_SECRET: the tunnel secret must have at least 16 characters, had 5")
                .doesNotContain("short");
    }

    @Test
    void helpPrintsUsageAndSucceeds() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("server options", "client options", "--demo", "--target");
        out.reset();
        assertThat(run("client", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--fingerprint");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''                                                                    | a command is missing",
        "serve                                                                 | unknown command \"serve\"",
        "server --listen 127.0.0.1:0 --self-signed                             | --public is required",
        "server --public 8080 --listen 127.0.0.1:0 --self-signed               | --public: expected HOST:PORT",
        "server --public 127.0.0.1:70000 --listen 127.0.0.1:0 --self-signed    | --public: port must be 0..65535, was 70000",
        "server --public 127.0.0.1:0 --listen 127.0.0.1:0                      | --cert is required",
        "server --public 127.0.0.1:0 --listen 127.0.0.1:0 --cert /nonexistent/c.pem --key k.pem | --cert: cannot read the file",
        "server --public 127.0.0.1:0 --listen 127.0.0.1:0 --self-signed --allow 10.0.0.0/33 | --allow:",
        "server --public 127.0.0.1:0 --listen 127.0.0.1:0 --self-signed --capacity many | --capacity: expected a whole number",
        "server --public 127.0.0.1:0 --listen 127.0.0.1:0 --self-signed --bogus | unknown option \"--bogus\"",
        "server --public                                                       | --public: a value is missing",
        "client --target 127.0.0.1:80                                          | --server is required",
        "client --server 127.0.0.1:10101 --target 127.0.0.1:80 --secret tooShort | --secret: the tunnel secret must have at least 16 characters, had 8",
        "client --server 127.0.0.1:0 --target 127.0.0.1:80                     | --server: port must be 1..65535, was 0",
        "client --server 127.0.0.1:10101 --target 127.0.0.1:80 --tls 3         | --tls: expected 0, 1 or 2, was \"3\"",
        "client --server 127.0.0.1:10101 --target 127.0.0.1:80 --tls 1         | --tls 1: give exactly one of --fingerprint",
        "client --server 127.0.0.1:10101 --target 127.0.0.1:80 --tls 0 --fingerprint ab | --fingerprint, --pin-key and --pin need --tls 1",
        "client --server 127.0.0.1:10101 --target 127.0.0.1:80 --pin-key ab --fingerprint ab | --tls 1: give exactly one of",
        "client --server 127.0.0.1:10101 --target 127.0.0.1:80 --pin-key 12zz   | --pin-key: ",
        "client --server 127.0.0.1:10101 --target 127.0.0.1:80 --fingerprint xyz | --fingerprint: fingerprint must be a SHA-256 digest",
        "client --server 127.0.0.1:10101 --target 127.0.0.1:80 --capacity 9-3  | --capacity: MIN must not exceed MAX",
        "client --server 127.0.0.1:10101 --target 127.0.0.1:80 --capacity 8   | --capacity: expected MIN-MAX",
        "client --server [::1:10101 --target 127.0.0.1:80                      | --server: expected HOST:PORT",
        "--demo --connections 0                                                | --connections: expected a whole number 1..",
    })
    void badArgumentsAreNamedWithStatusTwo(String line, String message) {
        String[] args = line.isBlank() ? new String[0] : line.trim().split("\\s+");

        assertThat(run(args)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(message).contains("--help");
    }
}
