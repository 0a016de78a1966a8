// SPDX-License-Identifier: Apache-2.0
package quicpool.examples.tunnel;

import java.io.Closeable;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/** Threads and closing, shared by both ends of the tunnel. */
final class Lifecycle {
    private static final System.Logger LOG = System.getLogger("quicpool.examples.tunnel");
    private static final long SHUTDOWN_SECONDS = 5;

    private Lifecycle() {
    }

    /**
     * A thread per task, named {@code name-n}: virtual threads on Java 21 and later, else an
     * unbounded pool of daemon platform threads whose idle ones end after a minute. Relaying with
     * blocking I/O takes two threads per connection, each parked most of the time: a virtual
     * thread parks and wakes without a kernel thread switch, and costs no thread stack.
     * {@code -Dquicpool.tunnel.virtualThreads=false} keeps platform threads on any Java.
     */
    static ExecutorService threads(String name) {
        return VirtualThreads.perTask(name + "-", "quicpool.tunnel.virtualThreads");
    }

    /**
     * Interrupts the executor's threads and waits a bounded time for them to end. Call after
     * closing whatever they block on: interrupting does not end a blocking socket read.
     */
    static void shutdown(ExecutorService executor) {
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(SHUTDOWN_SECONDS, TimeUnit.SECONDS)) {
                LOG.log(Level.WARNING, "tunnel threads still running {0} s after close", SHUTDOWN_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Closes it, logging (at DEBUG) rather than throwing: used where a failed close changes nothing. */
    static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "closing {0}: {1}", c, e.toString());
        }
    }
}
