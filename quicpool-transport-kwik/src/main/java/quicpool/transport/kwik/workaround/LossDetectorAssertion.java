// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik.workaround;

/**
 * Turns off the assertions of Kwik's {@code LossDetector}, which end a connection on a fast path.
 *
 * <p>Why: Kwik 0.10.8 measures RTT in whole milliseconds and sets a connection's smoothed RTT to
 * its first sample, so a connection whose first sample was under a millisecond (loopback, a fast
 * peer) keeps a smoothed RTT of 0 while later samples stay under a millisecond. Its loss detection
 * ({@code LossDetector.detectLostPackets}) then computes a time threshold of
 * {@code (int) (9/8 * max(smoothed RTT, latest RTT)) = 0} ms, which RFC 9002 (6.1.2) floors at a
 * granularity of 1 ms; Kwik has {@code assert lossDelay > 0} where the floor should be. With
 * assertions enabled ({@code -ea}, which test runners such as Maven Surefire turn on) the
 * {@code AssertionError} ends the thread that processed the ACK: a server connection's packet
 * thread, after which Kwik drops the connection from its table without a word to the client
 * ({@code ServerConnectionImpl.abortConnection}), so the client's packets go unanswered until its
 * keep-alive or idle timeout; or a client connection's receiving thread, after which the client
 * hears nothing more. Without assertions the threshold of 0 only makes Kwik declare an
 * unacknowledged packet below the largest acknowledged one lost a little sooner.
 *
 * <p>An assertion status is fixed when a class is initialized, so {@link #disable()} must run
 * before the first Kwik connection exists; the transport's dialer and listener call it from their
 * static initializers. Only this one class is affected; the rest of Kwik keeps the JVM's setting.
 */
public final class LossDetectorAssertion {

    static final String LOSS_DETECTOR = "tech.kwik.core.recovery.LossDetector";

    private LossDetectorAssertion() {
    }

    /** Disables the assertions of Kwik's {@code LossDetector} for the class loader that loads Kwik. */
    public static void disable() {
        ClassLoader kwik = tech.kwik.core.QuicConnection.class.getClassLoader();
        if (kwik != null) {
            kwik.setClassAssertionStatus(LOSS_DETECTOR, false);
        }
    }
}
