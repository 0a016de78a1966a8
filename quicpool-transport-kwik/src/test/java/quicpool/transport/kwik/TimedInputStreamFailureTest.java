// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A read that fails because Kwik's stream failed says which stream and why its connection ended,
 * where Kwik says only "Connection closed".
 */
@Timeout(10)
class TimedInputStreamFailureTest {

    /** Kwik's input of a stream whose connection was aborted. */
    private static final class AbortedSource extends InputStream {
        @Override
        public int read() throws IOException {
            throw new IOException("Connection closed");
        }

        @Override
        public int available() {
            return 0;
        }
    }

    @Test
    void aFailedReadNamesTheStreamAndWhyItsConnectionEnded() {
        TimedInputStream in = new TimedInputStream(new AbortedSource(), task -> new Thread(task, "test-reader").start(), "QUIC stream 8", () -> { },
                () -> Optional.of("the server sent nothing for 1000 ms"));
        assertThatThrownBy(in::read).isInstanceOf(IOException.class)
                .hasMessage("QUIC stream 8: Connection closed; the connection ended: the server sent nothing for 1000 ms");
        assertThatThrownBy(in::read).as("every later read").hasMessageContaining("the connection ended");
    }

    @Test
    void aFailedReadOfAConnectionStillUpNamesTheStream() {
        TimedInputStream in = new TimedInputStream(new AbortedSource(), task -> new Thread(task, "test-reader").start(), "QUIC stream 4", () -> { },
                Optional::empty);
        assertThatThrownBy(in::read).isInstanceOf(IOException.class).hasMessage("QUIC stream 4: Connection closed");
    }

    @Test
    void aReasonLearnedAfterTheFailureIsInTheMessageWhenItIsRead() {
        AtomicReference<String> reason = new AtomicReference<>();
        TimedInputStream in = new TimedInputStream(new AbortedSource(), task -> new Thread(task, "test-reader").start(),
                "QUIC stream 12", () -> { }, () -> Optional.ofNullable(reason.get()));
        IOException failure = assertThrows(IOException.class, in::read);
        reason.set("IdleTimeout"); // Kwik's end event comes after it aborted the streams
        assertThat(failure).hasMessage("QUIC stream 12: Connection closed; the connection ended: IdleTimeout");
    }
}
