// SPDX-License-Identifier: Apache-2.0
package quicpool.core.pool;

import java.util.concurrent.ThreadFactory;

/** JDK 21's virtual threads, reached by reflection: the sources are compiled for Java 17. */
final class VirtualThreads {
    private VirtualThreads() {
    }

    /** {@code Thread.ofVirtual().factory()}. */
    static ThreadFactory factory() throws ReflectiveOperationException {
        Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
        return (ThreadFactory) Class.forName("java.lang.Thread$Builder").getMethod("factory").invoke(builder);
    }

    /** {@code t.isVirtual()}. */
    static boolean isVirtual(Thread t) throws ReflectiveOperationException {
        return (Boolean) Thread.class.getMethod("isVirtual").invoke(t);
    }
}
