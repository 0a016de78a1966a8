// SPDX-License-Identifier: Apache-2.0
package quicpool.examples.tunnel;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Virtual threads where the running Java has them (21 and later), reached by reflection because
 * the examples compile for Java 17. Public for quicpool-bench, whose programs run their readers
 * and writers the same way.
 */
public final class VirtualThreads {
    private VirtualThreads() {
    }

    /**
     * A thread per task, named {@code prefix} and a counter from 1: {@code
     * Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(prefix, 1).factory())} on Java 21
     * and later, else (or when turned off) an unbounded cached pool of daemon platform threads,
     * whose idle ones end after a minute.
     *
     * @param switchProperty the system property that turns virtual threads off when set to {@code
     *                       false} (they are on when it is unset)
     * @throws IllegalStateException if a Java 21 or later lacks the expected API
     */
    public static ExecutorService perTask(String prefix, String switchProperty) {
        if (Runtime.version().feature() < 21 || !Boolean.parseBoolean(System.getProperty(switchProperty, "true"))) {
            AtomicInteger n = new AtomicInteger();
            return Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, prefix + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
        try {
            Class<?> builder = Class.forName("java.lang.Thread$Builder");
            Object named = Class.forName("java.lang.Thread$Builder$OfVirtual").getMethod("name", String.class, long.class)
                    .invoke(Thread.class.getMethod("ofVirtual").invoke(null), prefix, 1L);
            ThreadFactory factory = (ThreadFactory) builder.getMethod("factory").invoke(named);
            return (ExecutorService) Executors.class.getMethod("newThreadPerTaskExecutor", ThreadFactory.class)
                    .invoke(null, factory);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Java " + Runtime.version() + " has no virtual-thread API as expected", e);
        }
    }
}
