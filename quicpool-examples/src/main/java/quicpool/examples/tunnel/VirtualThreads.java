// SPDX-License-Identifier: Apache-2.0
package quicpool.examples.tunnel;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;

/**
 * Virtual threads where the running Java has them (21 and later), looked up at run time because
 * the example compiles for Java 17. {@code -Dquicpool.tunnel.virtualThreads=false} turns them off.
 */
final class VirtualThreads {
    private static final MethodHandle PER_TASK = lookup();

    private VirtualThreads() {
    }

    /**
     * An executor that starts a virtual thread per task, named {@code prefix} and a counter from 1;
     * null on a Java without virtual threads, or when turned off.
     */
    static ExecutorService perTask(String prefix) {
        if (PER_TASK == null) {
            return null;
        }
        try {
            return (ExecutorService) PER_TASK.invoke(prefix);
        } catch (Throwable e) {
            throw new IllegalStateException("cannot make a virtual-thread executor", e);
        }
    }

    /** {@code prefix -> Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(prefix, 1).factory())}. */
    private static MethodHandle lookup() {
        if (Runtime.version().feature() < 21
                || !Boolean.parseBoolean(System.getProperty("quicpool.tunnel.virtualThreads", "true"))) {
            return null;
        }
        try {
            MethodHandles.Lookup l = MethodHandles.publicLookup();
            Class<?> builder = Class.forName("java.lang.Thread$Builder");
            Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
            MethodHandle newBuilder = l.findStatic(Thread.class, "ofVirtual", MethodType.methodType(ofVirtual));
            MethodHandle name = l.findVirtual(ofVirtual, "name",
                    MethodType.methodType(ofVirtual, String.class, long.class));
            MethodHandle factory = l.findVirtual(builder, "factory", MethodType.methodType(ThreadFactory.class));
            MethodHandle executor = l.findStatic(java.util.concurrent.Executors.class, "newThreadPerTaskExecutor",
                    MethodType.methodType(ExecutorService.class, ThreadFactory.class));
            // prefix -> executor(factory(name(ofVirtual(), prefix, 1)))
            MethodHandle named = MethodHandles.insertArguments(
                    MethodHandles.collectArguments(name, 0, newBuilder), 1, 1L);
            MethodHandle named2 = named.asType(MethodType.methodType(builder, String.class));
            return MethodHandles.filterReturnValue(MethodHandles.filterReturnValue(named2, factory), executor);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Java " + Runtime.version() + " has no virtual-thread API as expected", e);
        }
    }
}
