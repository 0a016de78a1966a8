// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import quicpool.compliance.Conditions;
import quicpool.compliance.RequiresTransport;

/** {@code -Dquicpool.netty.qlog=DIR}: one qlog file per connection end, for diagnosing QUIC. */
@RequiresTransport("netty")
@ExtendWith(LeakCheck.class)
@Timeout(60)
class QlogOptionTest {

    @AfterEach
    void clearProperty() {
        System.clearProperty(QlogOption.PROPERTY);
    }

    @Test
    void eachConnectionEndWritesAQlogFileIntoTheDirectory(@TempDir Path dir) throws Exception {
        System.setProperty(QlogOption.PROPERTY, dir.toString());
        try (Loopback loop = new Loopback()) {
            loop.dial();
            loop.nextAccepted();
        }
        // quiche writes a connection's qlog out when it frees the connection, after its draining period.
        Conditions.await("a client and a server qlog file in " + dir, Duration.ofSeconds(20),
                () -> heads(dir).stream().filter(h -> h.contains("\"vantage_point\":{\"type\":\"client\"}")).count() == 1
                        && heads(dir).stream().filter(h -> h.contains("\"vantage_point\":{\"type\":\"server\"}"))
                                .count() == 1,
                () -> heads(dir));
        assertThat(heads(dir)).hasSize(2);
    }

    @Test
    void aDirectoryThatDoesNotExistIsRefusedByName(@TempDir Path dir) {
        String missing = dir.resolve("missing").toString();
        System.setProperty(QlogOption.PROPERTY, missing);
        assertThatThrownBy(() -> new Loopback().close())
                .hasMessageContaining(QlogOption.PROPERTY)
                .hasMessageContaining(missing)
                .hasMessageContaining("existing directory");
    }

    private static List<String> heads(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".qlog")).map(QlogOptionTest::head)
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String head(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            return new String(bytes, 0, Math.min(bytes.length, 2000), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
