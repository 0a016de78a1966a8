// SPDX-License-Identifier: Apache-2.0
package quicpool.core.sim;

import quicpool.core.id.StreamIds;
import quicpool.core.registry.Stubs;
import quicpool.core.stream.PooledStream;

/**
 * Streams for the simulator: real {@link PooledStream}s (what the registry holds) over a
 * connection that stays open and streams that carry nothing. Opening them costs simulated time,
 * which the simulator accounts for, not these objects.
 */
final class SimStreams {
    private static final Stubs.Conn CONNECTION = new Stubs.Conn();
    private int nextId;

    PooledStream next() {
        return Stubs.pooled(StreamIds.toText(nextId++), CONNECTION);
    }
}
