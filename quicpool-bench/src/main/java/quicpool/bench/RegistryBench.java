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
import quicpool.core.registry.StreamRegistry;
import quicpool.core.stream.PooledStream;

/**
 * quicpool's hot get path: the {@link StreamRegistry} both pools use, pre-filled with {@value
 * Streams#POOL_SIZE} streams. Each operation takes a stream and registers a fresh one with the same
 * ID, so the pool stays full.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"}) // fixed, pre-touched heap: see Streams
public class RegistryBench {
    private StreamRegistry registry;

    @Setup(Level.Trial)
    public void fill() {
        registry = new StreamRegistry(Streams.POOL_SIZE);
        for (String id : Streams.IDS) {
            registry.register(Streams.fresh(id, Streams.CONNECTION));
        }
    }

    @TearDown(Level.Iteration)
    public void stillFull() {
        Checks.full("registry", registry.active());
    }

    @TearDown(Level.Trial)
    public void close() {
        registry.close();
    }

    /** incomingGet: any stream, then the fresh one back. */
    @Benchmark
    public PooledStream incomingGet() throws InterruptedException {
        PooledStream s = Streams.found(registry.takeAny(Streams.TIMEOUT_NANOS), "takeAny");
        registry.register(Streams.replacing(s));
        return s;
    }

    /** outgoingGet(id) of an ID already present, then the fresh one back. */
    @Benchmark
    public PooledStream outgoingGet(OwnIds ids) throws InterruptedException {
        PooledStream s = Streams.found(registry.take(ids.next(), Streams.TIMEOUT_NANOS), "take(id)");
        registry.register(Streams.replacing(s));
        return s;
    }
}
