// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik.workaround;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps Kwik quiet while a client connection is built.
 *
 * <p>Kwik's public API has one way to switch off its own hostname check (which knows DNS names
 * only, while the dial's trust manager is the sole judge, hostname included, and may pin a
 * certificate whatever its names): {@code noServerCertificateCheck()}, followed by
 * {@code customTrustManager(...)}, which puts the real check back. The first call makes Kwik print
 * "SECURITY WARNING: INSECURE configuration!" to {@code System.out} on every build, which would be
 * false here. Kwik skips the warning while the system property {@value #PROPERTY} is "true"; this
 * sets it only for the moment of the build, and only if the application has not set it.
 */
public final class WarningGuard {

    static final String PROPERTY = "tech.kwik.core.no-security-warnings";

    private static final ReentrantLock LOCK = new ReentrantLock();

    private WarningGuard() {
    }

    public interface Build<T, E extends Exception> {
        T run() throws E;
    }

    public static <T, E extends Exception> T quietly(Build<T, E> build) throws E {
        LOCK.lock();
        try {
            if (System.getProperty(PROPERTY) != null) {
                return build.run();
            }
            System.setProperty(PROPERTY, "true");
            try {
                return build.run();
            } finally {
                System.clearProperty(PROPERTY);
            }
        } finally {
            LOCK.unlock();
        }
    }
}
