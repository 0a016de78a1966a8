// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads this transport runs Kwik's blocking calls on (handshakes, stream creation, reads
 * that wait), so that callers wait on a bounded, interruptible condition instead of inside Kwik.
 * Daemon threads, created on demand, gone after one idle second.
 */
final class Workers {

    private static final AtomicInteger NUMBER = new AtomicInteger();

    private static final ExecutorService POOL = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 1, TimeUnit.SECONDS,
            new SynchronousQueue<>(), task -> {
                Thread thread = new Thread(task, "quicpool-kwik-worker-" + NUMBER.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });

    private Workers() {
    }

    static ExecutorService pool() {
        return POOL;
    }
}
