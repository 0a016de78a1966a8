// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import quicpool.testkit.LogCapture;

/**
 * Kwik's report of an exception that ended one of its threads reaches the user's log at WARNING
 * (Kwik then drops the connection without telling the client); its routine errors stay at DEBUG.
 */
@Timeout(10)
class KwikLogTest {

    private final Logger stack = Logger.getLogger("quicpool.transport.kwik.stack");
    private final LogCapture capture = new LogCapture();
    private Level levelBefore;

    /** Captured only: the test's own records would read like a real failure in the build's output. */
    @BeforeEach
    void capture() {
        levelBefore = stack.getLevel();
        stack.setLevel(Level.ALL);
        stack.setUseParentHandlers(false);
        stack.addHandler(capture);
    }

    @AfterEach
    void release() {
        stack.removeHandler(capture);
        stack.setUseParentHandlers(true);
        stack.setLevel(levelBefore);
    }

    @Test
    void anExceptionThatEndedAKwikThreadIsAWarningWithItsStackTrace() {
        NullPointerException bug = new NullPointerException("a bug on the packet thread");
        KwikLog.INSTANCE.error("ServerConnectionImpl[0a0b] aborted due to internal error", bug);

        assertThat(capture.records()).singleElement().satisfies(r -> {
            assertThat(r.getLevel()).isEqualTo(Level.WARNING);
            assertThat(r.getMessage()).contains("aborted due to internal error");
            assertThat(r.getThrown()).isSameAs(bug);
        });
    }

    @Test
    void routineErrorsStayBelowInfo() {
        KwikLog.INSTANCE.error("IOException while receiving datagrams", new IOException("Socket closed"));
        KwikLog.INSTANCE.error("Packet received for closed connection");

        assertThat(capture.records()).extracting(LogRecord::getLevel).containsOnly(Level.FINE);
    }
}
