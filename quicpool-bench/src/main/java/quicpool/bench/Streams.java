// SPDX-License-Identifier: Apache-2.0
package quicpool.bench;

import java.time.Duration;
import quicpool.core.id.StreamIds;
import quicpool.core.stream.PooledStream;

/**
 * The pool size, the IDs and the caller's fresh stream, shared by every hot-path benchmark.
 *
 * <p>Every benchmark forks with a fixed, pre-touched heap ({@code -Xms1g -Xmx1g
 * -XX:+AlwaysPreTouch}): on the shared machine the figures were taken on, a growing heap's first
 * touch of each page cost more than the operations measured (an allocation of 104 bytes measured
 * 386 ns of CPU per op without it, 20 ns with it).
 */
final class Streams {
    /** Streams in every pre-filled pool: 8 shards of 128, as the original would shard it. */
    static final int POOL_SIZE = 1024;
    /** The wait every timed get is given; the steady state never waits. */
    static final Duration TIMEOUT = Duration.ofSeconds(1);
    static final long TIMEOUT_NANOS = TIMEOUT.toNanos();

    /** Canonical, distinct IDs: index i is the i-th stream of a pool. */
    static final String[] IDS = new String[POOL_SIZE];
    /** The connection every quicpool stream of the benchmarks belongs to. */
    static final StubConnection CONNECTION = new StubConnection();

    private static final Runnable NOTHING = () -> { };

    static {
        for (int i = 0; i < POOL_SIZE; i++) {
            IDS[i] = StreamIds.toText(0x5eed0000 + i * 7919);
        }
    }

    private Streams() {
    }

    /**
     * A fresh handshaken stream, as a refill or an accept hands to the pool: the caller's
     * allocation (a {@link PooledStream}, its output view, its closed flag and the transport's stream).
     */
    static PooledStream fresh(String id, Object owner) {
        return new PooledStream(id, new StubStream(), CONNECTION, owner, NOTHING);
    }

    /** The fresh stream that replaces {@code taken}: same ID, same owner. */
    static PooledStream replacing(PooledStream taken) {
        return fresh(taken.id(), taken.owner());
    }

    /** Throws when a get of the steady state found nothing: the benchmark is broken, not slow. */
    static PooledStream found(PooledStream s, String what) {
        if (s == null) {
            throw new IllegalStateException(what + " found no stream in a full pool");
        }
        return s;
    }
}
