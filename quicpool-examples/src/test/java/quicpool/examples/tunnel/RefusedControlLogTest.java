// SPDX-License-Identifier: Apache-2.0
package quicpool.examples.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A stranger knocking on the control port again and again gets one WARNING line per interval, with a count. */
@Timeout(10)
class RefusedControlLogTest {
    private static final InetSocketAddress STRANGER = new InetSocketAddress("192.0.2.7", 40000);

    private final AtomicLong clock = new AtomicLong(5_000_000_000L);
    private final List<String> lines = new ArrayList<>();
    private final RefusedControlLog log = new RefusedControlLog(lines::add, Duration.ofSeconds(10), clock::get);

    @Test
    void aThousandRefusalsWithinTheIntervalWriteOneLineThenOneWithTheirCount() {
        knock(1, Duration.ZERO);
        assertThat(lines).containsExactly(line(1, "control connection", "; the latest from " + STRANGER));
        knock(1000, Duration.ofSeconds(9));
        assertThat(lines).as("nothing more within the interval").hasSize(1);
        knock(1, Duration.ofSeconds(1));
        assertThat(lines).containsExactly(line(1, "control connection", "; the latest from " + STRANGER),
                line(1001, "control connections", "; the latest from " + STRANGER));
    }

    /** {@code n} refusals of the stranger, spread evenly over {@code over}. */
    private void knock(int n, Duration over) {
        long step = over.toNanos() / n;
        for (int i = 0; i < n; i++) {
            clock.addAndGet(step);
            log.refused(STRANGER, "not in --allow");
        }
    }

    private static String line(int count, String what, String sample) {
        String why = sample.isEmpty() ? "" : ": not in --allow";
        return "refused " + count + " " + what + " since the last such line" + sample + why + " (at most one line per 10 s)";
    }

    @Test
    void flushWritesWhatIsStillCountedAndNothingOtherwise() {
        log.flush();
        assertThat(lines).isEmpty();
        knock(2, Duration.ZERO);
        log.flush();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).isEqualTo(line(1, "control connection", ""));
        log.flush();
        assertThat(lines).hasSize(2);
    }
}
