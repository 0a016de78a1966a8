// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import quicpool.api.spi.TransportConnection;
import quicpool.api.spi.TransportListener;
import tech.kwik.core.QuicConnection;

/**
 * In a JVM with assertions on (Surefire turns them on, as a user's test runner may), Kwik's loss
 * detection runs without its assertion that a connection with a sub-millisecond RTT fails (see
 * {@code workaround.LossDetectorAssertion}), and the rest of Kwik keeps the JVM's setting.
 */
@Timeout(30)
class LossDetectorAssertionTest {

    @Test
    void kwiksLossDetectorRunsWithoutAssertionsAndTheRestOfKwikKeepsThem() throws Exception {
        assertThat(LossDetectorAssertionTest.class.desiredAssertionStatus())
                .as("this JVM runs with assertions on, or the test shows nothing").isTrue();
        try (Loopback loopback = new Loopback()) {
            TransportListener listener = loopback.listenEcho();
            TransportConnection connection = loopback.connect(listener);
            connection.openStream(Duration.ofSeconds(5)).close();
        }
        ClassLoader kwik = QuicConnection.class.getClassLoader();
        assertThat(Class.forName("tech.kwik.core.recovery.LossDetector", false, kwik).desiredAssertionStatus())
                .as("Kwik's LossDetector, loaded by the connection above").isFalse();
        assertThat(Class.forName("tech.kwik.core.recovery.RttEstimator", false, kwik).desiredAssertionStatus())
                .as("the rest of Kwik").isTrue();
    }
}
