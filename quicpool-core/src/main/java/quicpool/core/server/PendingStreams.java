// SPDX-License-Identifier: Apache-2.0
package quicpool.core.server;

import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The server's streams that wait for their handshake byte, each holding a handshake worker while
 * it waits: at most {@code perConnection} of one connection, at most {@code total} of all together
 * (the workers there are, so that no stream queues behind silent ones). When all {@code total}
 * wait, a stream of a connection that has fewer waiting than the connection with most takes the
 * place of that one's oldest, which the caller closes: a client whose streams speak up at once
 * always finds a place, whatever a silent client holds. Thread-safe: one lock, taken once per
 * new stream (not on gets), a {@link ReentrantLock} so that a virtual thread (the pool's {@code
 * threadFactory} may make them) never waits pinned to its carrier.
 *
 * @param <C> the connection
 * @param <S> the stream
 */
final class PendingStreams<C, S> {
    /** Why a stream is refused while its connection has its maximum of streams waiting. */
    static final String CONNECTION_FULL = "too many streams awaiting their handshake byte on this connection";
    /** Why a stream is refused while the server has its maximum waiting and none to displace. */
    static final String SERVER_FULL = "too many streams awaiting their handshake byte";

    private final int perConnection;
    private final int total;
    private final Map<C, ArrayDeque<S>> waiting = new IdentityHashMap<>();
    private int count;
    private final ReentrantLock lock = new ReentrantLock();

    /** What {@link #enter} decided: {@code refusal} null if the stream now waits; {@code displaced} to close, if any. */
    record Entry<S>(String refusal, S displaced) {
    }

    PendingStreams(int perConnection, int total) {
        this.perConnection = perConnection;
        this.total = total;
    }

    /**
     * Lets {@code stream} of {@code connection} wait for its byte, or says why not; a displaced
     * stream returned no longer waits here, and the caller closes it.
     */
    Entry<S> enter(C connection, S stream) {
        lock.lock();
        try {
            return enterLocked(connection, stream);
        } finally {
            lock.unlock();
        }
    }

    private Entry<S> enterLocked(C connection, S stream) {
        ArrayDeque<S> mine = waiting.get(connection);
        int have = mine == null ? 0 : mine.size();
        if (have >= perConnection) {
            return new Entry<>(CONNECTION_FULL, null);
        }
        S displaced = null;
        if (count >= total) {
            ArrayDeque<S> most = most();
            if (most == null || most.size() <= have) {
                return new Entry<>(SERVER_FULL, null);
            }
            displaced = most.pollFirst();
            count--;
            waiting.values().removeIf(ArrayDeque::isEmpty);
        }
        waiting.computeIfAbsent(connection, c -> new ArrayDeque<>()).addLast(stream);
        count++;
        return new Entry<>(null, displaced);
    }

    private ArrayDeque<S> most() {
        ArrayDeque<S> most = null;
        for (ArrayDeque<S> q : waiting.values()) {
            if (most == null || q.size() > most.size()) {
                most = q;
            }
        }
        return most;
    }

    /**
     * {@code stream} has its byte, failed or ended: returns true if it was waiting here, false if it
     * was displaced (then the displacer has closed it and it was refused already).
     */
    boolean leave(C connection, S stream) {
        lock.lock();
        try {
            ArrayDeque<S> mine = waiting.get(connection);
            if (mine == null || !mine.remove(stream)) {
                return false;
            }
            count--;
            if (mine.isEmpty()) {
                waiting.remove(connection);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Streams waiting now. */
    int count() {
        lock.lock();
        try {
            return count;
        } finally {
            lock.unlock();
        }
    }
}
