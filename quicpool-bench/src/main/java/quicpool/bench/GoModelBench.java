// SPDX-License-Identifier: Apache-2.0
package quicpool.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import quicpool.core.stream.PooledStream;

/** Baseline (a): the same take-and-refill cycle on the model of the original Go pool. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"}) // fixed, pre-touched heap: see Streams
public class GoModelBench {
    private GoModelPool pool;

    @Setup(Level.Trial)
    public void fill() {
        pool = new GoModelPool(Streams.POOL_SIZE);
        for (int i = 0; i < Streams.POOL_SIZE; i++) {
            if (!pool.put(Streams.fresh(Streams.IDS[i], pool.shard(i)))) {
                throw new IllegalStateException("the Go model refused stream " + i + " while filling");
            }
        }
    }

    @TearDown(Level.Iteration)
    public void stillFull() {
        Checks.full("Go model", pool.active());
    }

    @Benchmark
    public PooledStream incomingGet() throws InterruptedException {
        PooledStream s = Streams.found(pool.incomingGet(Streams.TIMEOUT_NANOS), "IncomingGet");
        pool.put(Streams.replacing(s));
        return s;
    }

    @Benchmark
    public PooledStream outgoingGet(OwnIds ids) throws InterruptedException {
        PooledStream s = Streams.found(pool.outgoingGet(ids.next(), Streams.TIMEOUT_NANOS), "OutgoingGet");
        pool.put(Streams.replacing(s));
        return s;
    }
}
