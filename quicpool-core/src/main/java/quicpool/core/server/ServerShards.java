// SPDX-License-Identifier: Apache-2.0
package quicpool.core.server;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import quicpool.api.spi.TransportConnection;

/**
 * The server's shards: each accepted connection joins the shard with the fewest connections, so
 * a client's shard connections land on distinct shards. Connection events are rare: a lock is fine.
 * The count is also kept in a volatile field, so that the pool's getters read it without the lock.
 */
final class ServerShards {
    private final List<List<TransportConnection>> shards = new ArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    /** Written under {@link #lock}, read without it. */
    private volatile int connections;

    ServerShards(int count) {
        for (int i = 0; i < count; i++) {
            shards.add(new ArrayList<>());
        }
    }

    /** Adds the connection to the least-loaded shard and returns that shard's index. */
    int add(TransportConnection c) {
        lock.lock();
        try {
            int best = 0;
            for (int i = 1; i < shards.size(); i++) {
                if (shards.get(i).size() < shards.get(best).size()) {
                    best = i;
                }
            }
            shards.get(best).add(c);
            connections++;
            return best;
        } finally {
            lock.unlock();
        }
    }

    void remove(TransportConnection c) {
        lock.lock();
        try {
            for (List<TransportConnection> s : shards) {
                if (s.remove(c)) {
                    connections--;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Every connection in the shards now, left in them. */
    List<TransportConnection> snapshot() {
        return all(false);
    }

    /** Every connection, removed from the shards. */
    List<TransportConnection> drain() {
        return all(true);
    }

    private List<TransportConnection> all(boolean remove) {
        lock.lock();
        try {
            List<TransportConnection> all = new ArrayList<>();
            for (List<TransportConnection> s : shards) {
                all.addAll(s);
                if (remove) {
                    s.clear();
                }
            }
            if (remove) {
                connections = 0;
            }
            return all;
        } finally {
            lock.unlock();
        }
    }

    /** The connections in the shards now, read without the lock. */
    int connections() {
        return connections;
    }
}
