// SPDX-License-Identifier: Apache-2.0
package quicpool.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import quicpool.core.stream.PooledStream;

/**
 * The caller's part of every cycle alone: making the fresh stream. Its bytes/op, subtracted from
 * a cycle's, leave what the pool itself allocates.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"}) // fixed, pre-touched heap: see Streams
public class CallerAllocationBench {
    @Benchmark
    public PooledStream freshStream(OwnIds ids) {
        return Streams.fresh(ids.next(), Streams.CONNECTION);
    }
}
