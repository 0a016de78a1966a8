// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik.workaround;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The deadline of each server handshake in progress on one listener. Why: Kwik 0.10.8's server
 * bounds a handshake only by the idle timeout, and exports nothing to end a connection whose
 * handshake has not completed; an abandoned handshake held its threads for the whole idle timeout.
 * The listener's socket starts a deadline when the server answers a client's first flight, the
 * listener ends it when Kwik hands over the completed connection, and at the deadline the socket
 * ends the connection ({@link ListenerSocket}). One timer thread per listener, ended by {@link
 * #close()}. Thread-safe.
 */
final class HandshakeBound implements AutoCloseable {

    private final Duration bound;
    private final ScheduledThreadPoolExecutor timer;
    private final Map<InetSocketAddress, ScheduledFuture<?>> deadlines = new ConcurrentHashMap<>();
    /**
     * Clients whose handshake completed lately: a datagram with an Initial packet that the sender
     * thread had assembled before the completion, and sends after it, starts no deadline for them.
     */
    private final ExpiringMap<InetSocketAddress, Boolean> completed = new ExpiringMap<>(RECENT, MAX_RECENT);

    /** How long a completed handshake's client is remembered: far longer than a sender's last late datagram. */
    private static final Duration RECENT = Duration.ofSeconds(2);
    private static final int MAX_RECENT = 4096;

    HandshakeBound(Duration bound, String threadName) {
        this.bound = bound;
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    Duration bound() {
        return bound;
    }

    /**
     * The server answered the first flight of {@code client}: unless a deadline runs for it already,
     * runs {@code expired} with the client's address once the bound has passed without {@link
     * #completed}.
     */
    void started(InetSocketAddress client, Consumer<InetSocketAddress> expired) {
        if (deadlines.containsKey(client) || timer.isShutdown()) {
            return;
        }
        try {
            // Checked inside the map's update, which completed()'s removal waits for: a completion
            // between a check outside and the scheduling would leave a deadline that later ends a
            // healthy connection.
            deadlines.computeIfAbsent(client, c -> completed.get(c) != null ? null : timer.schedule(() -> {
                if (deadlines.remove(c) != null) {
                    expired.accept(c);
                }
            }, bound.toNanos(), TimeUnit.NANOSECONDS));
        } catch (RejectedExecutionException closing) {
            // the listener is closing: its connections end with it
        }
    }

    /** The handshake with {@code client} completed (or the connection ended): its deadline goes. */
    void completed(InetSocketAddress client) {
        completed.putIfAbsent(client, Boolean.TRUE); // before the removal: see started()
        ScheduledFuture<?> deadline = deadlines.remove(client);
        if (deadline != null) {
            deadline.cancel(false);
        }
    }

    /** How many deadlines are armed. */
    int armed() {
        return deadlines.size();
    }

    /** Drops every deadline and ends the timer thread. Idempotent. */
    @Override
    public void close() {
        timer.shutdownNow();
        deadlines.clear();
    }
}
