// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik.workaround;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one-thread scheduler that a timed task of every Kwik connection in the JVM shares (the
 * keep-alive probes, the peer-abort checks, a refused connection's datagram handed again): a daemon
 * thread started by the first task and ended one idle second after the last has run or been
 * cancelled, so no thread outlives the connections. It is never shut down.
 */
public final class SharedScheduler {

    private SharedScheduler() {
    }

    /** A new scheduler whose thread is named {@code threadName}. */
    public static ScheduledThreadPoolExecutor create(String threadName) {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, threadName);
            thread.setDaemon(true);
            return thread;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        scheduler.setKeepAliveTime(1, TimeUnit.SECONDS);
        scheduler.allowCoreThreadTimeOut(true);
        return scheduler;
    }
}
