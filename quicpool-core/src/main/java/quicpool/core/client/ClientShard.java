// SPDX-License-Identifier: Apache-2.0
package quicpool.core.client;

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

    /** A dial failed, or a connection ended before serving a stream: wait longer before the next. */
    int failed(long now) {
        int f = failures.incrementAndGet();
        long backoff = Math.min(MAX_BACKOFF_NANOS, BASE_BACKOFF_NANOS << Math.min(f - 1, 20));
        nextDialNanos = now + backoff;
        return f;
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
