// SPDX-License-Identifier: Apache-2.0
package quicpool.core.client;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A slot for one QUIC connection of a client pool, with its dial back-off and the one refill task
 * (dial or fill) it may have running at a time.
 */
final class ClientShard {
    private static final long BASE_BACKOFF_NANOS = 100_000_000L;
    private static final long MAX_BACKOFF_NANOS = 5_000_000_000L;

    final int index;
    final AtomicReference<ShardConnection> current = new AtomicReference<>();
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicBoolean busy = new AtomicBoolean();
    private volatile long nextDialNanos = System.nanoTime();

    ClientShard(int index) {
        this.index = index;
    }

    /** The live connection, or null. */
    ShardConnection live() {
        ShardConnection sc = current.get();
        return sc != null && sc.isOpen() ? sc : null;
    }

    boolean mayDial(long now) {
        return now - nextDialNanos >= 0;
    }

    /**
     * A dial failed, or a connection ended before serving a stream: wait longer before the next.
     * The wait doubles with each failure in a row, from 100 ms up to 5 s, and is drawn at random
     * between half of that and all of it, so that the shards of many clients whose server
     * restarted do not redial in step.
     */
    int failed(long now) {
        int f = failures.incrementAndGet();
        nextDialNanos = now + backoffNanos(f);
        return f;
    }

    /** The wait after {@code failures} failures in a row, with its random half. */
    static long backoffNanos(int failures) {
        long ceiling = Math.min(MAX_BACKOFF_NANOS, BASE_BACKOFF_NANOS << Math.min(failures - 1, 20));
        long half = ceiling / 2;
        return half + ThreadLocalRandom.current().nextLong(half + 1);
    }

    void succeeded() {
        failures.set(0);
    }

    /** Claims the shard for a refill task; false if one is still running. */
    boolean claim() {
        return busy.compareAndSet(false, true);
    }

    /** The shard's refill task ended. */
    void release() {
        busy.set(false);
    }
}
