// SPDX-License-Identifier: Apache-2.0
package quicpool.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A flood of refusals writes one line per interval, each with its count and a sample. */
@Timeout(10)
class RefusalLogTest {
    private static final InetSocketAddress A = new InetSocketAddress("192.0.2.1", 1000);
    private static final InetSocketAddress B = new InetSocketAddress("192.0.2.2", 2000);

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final List<String> lines = new ArrayList<>();
    private final RefusalLog log = new RefusalLog(() -> "server pool S", Duration.ofSeconds(10), clock::get, lines::add);

    @Test
    void theFirstRefusalIsWrittenAtOnceAndTheNextOnesOncePerInterval() {
        log.refused(A, "unauthorized IP");
        assertThat(lines).containsExactly("quicpool server pool S refused 1 connection attempt since its last such line;"
                + " the latest from " + A + ": unauthorized IP (at most one line per 10000 ms)");
        for (int i = 0; i < 1000; i++) {
            clock.addAndGet(1_000_000); // 1 s in all
            log.refused(i % 2 == 0 ? A : B, "unauthorized IP");
        }
        assertThat(lines).hasSize(1);
        clock.addAndGet(Duration.ofSeconds(9).toNanos());
        log.refused(B, "too many connections");
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).startsWith("quicpool server pool S refused 1001 connection attempts since its last such line;"
                + " the latest from " + B + ": too many connections");
    }

    @Test
    void flushWritesWhatTheLastLineDidNotCountAndNothingWhenAllWasWritten() {
        log.refused(A, "unauthorized IP");
        log.refused(A, "unauthorized IP");
        log.refused(A, "unauthorized IP");
        log.flush();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).isEqualTo("quicpool server pool S refused 2 connection attempts since its last such line"
                + " (at most one line per 10000 ms)");
        log.flush();
        assertThat(lines).hasSize(2);
    }

    @Test
    void aLogOfRefusedStreamsNamesStreams() {
        RefusalLog streams = new RefusalLog(() -> "server pool S", Duration.ofSeconds(10), clock::get, lines::add,
                "stream", "streams");
        streams.refused(A, "too many streams awaiting their handshake byte on this connection");
        streams.refused(A, "too many streams awaiting their handshake byte on this connection");
        streams.flush();
        assertThat(lines).containsExactly("quicpool server pool S refused 1 stream since its last such line; the latest"
                        + " from " + A + ": too many streams awaiting their handshake byte on this connection"
                        + " (at most one line per 10000 ms)",
                "quicpool server pool S refused 1 stream since its last such line (at most one line per 10000 ms)");
    }
}
