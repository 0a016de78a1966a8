// SPDX-License-Identifier: Apache-2.0
package quicpool.core.util;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The pool's own threads: daemon, named, and gone after {@link #shutdown(ExecutorService)}. */
public final class PoolThreads {
    private static final System.Logger LOG = System.getLogger("quicpool.core");

    private PoolThreads() {
    }

    /** Daemon threads named {@code prefix-N}. */
    public static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Up to {@code maxThreads} workers that end after 10 s idle; tasks beyond them queue. */
    public static ExecutorService workers(String prefix, int maxThreads) {
        ThreadPoolExecutor e = new ThreadPoolExecutor(maxThreads, maxThreads, 10, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), named(prefix));
        e.allowCoreThreadTimeOut(true);
        return e;
    }

    /** Interrupts the workers and waits for them to end, 5 s at most. */
    public static void shutdown(ExecutorService e) {
        e.shutdownNow();
        try {
            if (!e.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "quicpool worker threads still running 5 s after close");
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
    }
}
