// SPDX-License-Identifier: Apache-2.0
package quicpool.bench;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * The IDs one benchmark thread takes by ID: thread t of T owns every ID whose index is t modulo T,
 * so the ID a thread asks for is always present (nobody else takes it) and spans every shard.
 */
@State(Scope.Thread)
public class OwnIds {
    private int first;
    private int step;
    private int next;

    @Setup
    public void setUp(ThreadParams threads) {
        first = threads.getThreadIndex();
        step = threads.getThreadCount();
        next = first;
    }

    /** The next ID of this thread, round robin. */
    String next() {
        String id = Streams.IDS[next];
        next += step;
        if (next >= Streams.POOL_SIZE) {
            next = first;
        }
        return id;
    }
}
