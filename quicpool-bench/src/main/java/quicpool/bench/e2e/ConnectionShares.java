// SPDX-License-Identifier: Apache-2.0
package quicpool.bench.e2e;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import quicpool.api.ClientPool;
import quicpool.api.StreamConn;

/** Takes a client pool's streams so that each of its QUIC connections carries an equal share. */
final class ConnectionShares {
    private ConnectionShares() {
    }

    /** What becomes of a stream taken beyond its connection's share. */
    @FunctionalInterface
    interface Surplus {
        void dispose(StreamConn c) throws Exception;
    }

    /**
     * Takes streams until each of {@code connections} connections gave {@code ceil(streams /
     * connections)}, handing each stream beyond its share to {@code surplus}; returns the
     * {@code streams} kept. Takes at most {@code capacity} streams.
     *
     * @throws IllegalStateException if {@code capacity} takes do not give every connection its share
     */
    static List<StreamConn> take(ClientPool client, int streams, int connections, int capacity, Surplus surplus)
            throws Exception {
        Map<InetSocketAddress, List<StreamConn>> byConnection = new HashMap<>();
        List<StreamConn> picked = new ArrayList<>();
        int share = (streams + connections - 1) / connections;
        for (int taken = 0; picked.size() < streams; taken++) {
            if (taken >= capacity) {
                picked.forEach(StreamConn::close);
                throw new IllegalStateException("could not take " + share + " streams on each of " + connections
                        + " connections from " + capacity + " idle streams; per connection: " + counts(byConnection));
            }
            StreamConn c = client.incomingGet(Loopback.TIMEOUT);
            List<StreamConn> mine = byConnection.computeIfAbsent(c.localAddress(), k -> new ArrayList<>());
            if (mine.size() < share && byConnection.size() <= connections) {
                mine.add(c);
                picked.add(c);
            } else {
                surplus.dispose(c);
            }
        }
        return picked;
    }

    private static Map<InetSocketAddress, Integer> counts(Map<InetSocketAddress, List<StreamConn>> byConnection) {
        Map<InetSocketAddress, Integer> counts = new HashMap<>();
        byConnection.forEach((k, v) -> counts.put(k, v.size()));
        return counts;
    }
}
