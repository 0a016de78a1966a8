// SPDX-License-Identifier: Apache-2.0
package quicpool.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import quicpool.api.spi.TransportConnection;
import quicpool.api.spi.TransportStream;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InMemoryLoadTest {
    private final Fixture fx = new Fixture();

    @AfterEach
    void tearDown() throws InterruptedException {
        fx.close();
    }

    @Test
    void thousandsOfStreamsPassThroughASmallCreditLimit() throws Exception {
        try (InMemoryListener listener = fx.listen(fx.echoHandler(), 16)) {
            TransportConnection conn = fx.dial(listener);
            List<Future<Integer>> clients = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                clients.add(fx.workers.submit(() -> {
                    int done = 0;
                    for (int i = 0; i < 500; i++) {
                        TransportStream s = conn.openStream(Duration.ofSeconds(10));
                        s.outputStream().write(new byte[] {0, (byte) i});
                        s.shutdownOutput();
                        byte[] back = s.inputStream().readAllBytes();
                        s.close();
                        if (back.length == 2 && back[1] == (byte) i) {
                            done++;
                        }
                    }
                    return done;
                }));
            }
            int total = 0;
            for (Future<Integer> f : clients) {
                total += f.get(50, TimeUnit.SECONDS);
            }
            assertThat(total).isEqualTo(4000);
            assertThat(conn.isOpen()).isTrue();
        }
    }
}
