// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.netty;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One event-loop group per transport, created when the first listener or connection needs it and
 * shut down when the last one lets go, so an idle transport holds no threads. Threads are daemons:
 * they never keep the JVM alive.
 */
final class SharedEventLoops {

    /** Each QUIC connection lives on one event loop; a few threads serve many connections. */
    static final int THREADS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    static final String THREAD_PREFIX = "quicpool-netty";

    private final ReentrantLock lock = new ReentrantLock();
    private EventLoopGroup group;
    private int users;
    private CompletableFuture<Void> idle = CompletableFuture.completedFuture(null);

    /** A share of the group; {@link Lease#close()} gives it back. */
    final class Lease implements AutoCloseable {
        private final EventLoopGroup leased;
        private final AtomicBoolean closed = new AtomicBoolean();

        private Lease(EventLoopGroup leased) {
            this.leased = leased;
        }

        EventLoopGroup group() {
            return leased;
        }

        /** Gives the share back; the last one shuts the threads down. Idempotent, never blocks. */
        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                release();
            }
        }
    }

    Lease acquire() {
        lock.lock();
        try {
            if (group == null) {
                group = new MultiThreadIoEventLoopGroup(THREADS,
                        new DefaultThreadFactory(THREAD_PREFIX, true), NioIoHandler.newFactory());
                idle = new CompletableFuture<>();
            }
            users++;
            return new Lease(group);
        } finally {
            lock.unlock();
        }
    }

    private void release() {
        lock.lock();
        try {
            if (--users == 0) {
                // Quiet period 0: every user is gone, nothing more will be submitted.
                CompletableFuture<Void> terminated = idle;
                group.shutdownGracefully(0, 5, TimeUnit.SECONDS).addListener(f -> terminated.complete(null));
                group = null;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Completes once no listener or connection holds the group and its threads have terminated;
     * for tests. A later {@link #acquire()} starts a new group with a new future.
     */
    CompletableFuture<Void> whenIdle() {
        lock.lock();
        try {
            return idle;
        } finally {
            lock.unlock();
        }
    }

    /** How many listeners and connections hold the group; for tests. */
    int users() {
        lock.lock();
        try {
            return users;
        } finally {
            lock.unlock();
        }
    }
}
