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
import quicpool.api.Pool;
import quicpool.api.StreamConn;
import quicpool.core.pool.DetachedPool;
import quicpool.core.stream.PooledStream;

/**
 * The same cycle as {@link RegistryBench} through the public {@link Pool} interface: {@code
 * incomingGet(timeout)} and {@code outgoingGet(id, timeout)} (ID check, timeout conversion, the
 * registry), the fresh stream registered where the pool's refill or accept would register it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"}) // fixed, pre-touched heap: see Streams
public class PoolApiBench {
    private DetachedPool bench;
    private Pool pool;

    @Setup(Level.Trial)
    public void fill() {
        bench = new DetachedPool("bench", Streams.POOL_SIZE, Streams.POOL_SIZE);
        observe(bench);
        bench.start(); // a get on a pool never started fails at once
        pool = bench;
        for (String id : Streams.IDS) {
            bench.registry().register(Streams.fresh(id, Streams.CONNECTION));
        }
    }

    @TearDown(Level.Iteration)
    public void stillFull() {
        Checks.full("pool", pool.active());
    }

    @TearDown(Level.Trial)
    public void close() {
        pool.close();
        unobserve();
    }

    /** Before the pool starts: what a subclass attaches to it ({@link ObservabilityBench}). Nothing here. */
    void observe(DetachedPool pool) {
    }

    /** After the pool closed: what a subclass detaches. Nothing here. */
    void unobserve() {
    }

    @Benchmark
    public StreamConn incomingGet() throws Exception {
        PooledStream s = (PooledStream) pool.incomingGet(Streams.TIMEOUT);
        bench.registry().register(Streams.replacing(s));
        return s;
    }

    @Benchmark
    public StreamConn outgoingGet(OwnIds ids) throws Exception {
        PooledStream s = (PooledStream) pool.outgoingGet(ids.next(), Streams.TIMEOUT);
        bench.registry().register(Streams.replacing(s));
        return s;
    }
}
