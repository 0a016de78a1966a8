// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The end of a stream's input: a channel going inactive after the peer's FIN (every stream that
 * ended normally) makes no exception; before the FIN, readers get the failure.
 */
@ExtendWith(LeakCheck.class)
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class StreamInputEndTest {

    @Test
    void afterThePeersFinTheFailureIsNeverMade() throws IOException {
        StreamInput input = new StreamInput(null); // no bytes queued: the channel is never asked to read
        AtomicInteger made = new AtomicInteger();
        input.finished();

        input.failed(() -> {
            made.incrementAndGet();
            return new IOException("made");
        });

        assertThat(made).hasValue(0);
        assertThat(input.read()).isEqualTo(-1);
    }

    @Test
    void beforeThePeersFinTheFailureReachesTheReaderOnce() {
        StreamInput input = new StreamInput(null);
        AtomicInteger made = new AtomicInteger();

        input.failed(() -> new IOException("ended before the peer's FIN #" + made.incrementAndGet()));
        input.failed(() -> new IOException("a second cause #" + made.incrementAndGet()));

        assertThat(made).hasValue(1);
        assertThatIOException().isThrownBy(input::read).withMessage("ended before the peer's FIN #1");
    }
}
