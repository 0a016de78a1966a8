// SPDX-License-Identifier: Apache-2.0
package quicpool.core.shard;

import quicpool.api.spi.QuicSettings;

/** How many QUIC connections a pool spreads its streams over. */
public final class ShardMath {
    /** The most shards one pool opens. */
    public static final int MAX_SHARDS = 64;

    private ShardMath() {
    }

    /** {@code min(max(ceil(maxCapacity / 128), 1), 64)}, as in the original. */
    public static int shardCount(int maxCapacity) {
        int perShard = QuicSettings.STREAMS_PER_CONNECTION;
        int needed = (int) ((Math.max(maxCapacity, 0) + (long) perShard - 1) / perShard);
        return Math.min(Math.max(needed, 1), MAX_SHARDS);
    }
}
