// SPDX-License-Identifier: Apache-2.0
package quicpool.bench;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.commons.pool2.BasePooledObjectFactory;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.DefaultPooledObject;
import org.apache.commons.pool2.impl.GenericObjectPool;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.jctools.queues.MpmcArrayQueue;
import org.jctools.queues.atomic.MpmcAtomicArrayQueue;
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
import org.openjdk.jmh.infra.Blackhole;
import quicpool.core.stream.PooledStream;

/**
 * Baselines (b), (c) and (d): the same cycle on a bare queue (no IDs) and on commons-pool2. Each
 * queue holds {@value Streams#POOL_SIZE} streams; an operation takes one and puts a fresh one back.
 * Every benchmark here makes the same fresh stream as quicpool's, so the caller's work is equal.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"}) // fixed, pre-touched heap: see Streams
public class QueueBaselineBench {
    private ArrayBlockingQueue<PooledStream> blocking;
    private MpmcArrayQueue<PooledStream> mpmc;
    private MpmcAtomicArrayQueue<PooledStream> mpmcAtomic;
    private GenericObjectPool<PooledStream> commons;

    @Setup(Level.Trial)
    public void fill() throws Exception {
        blocking = new ArrayBlockingQueue<>(Streams.POOL_SIZE);
        mpmc = new MpmcArrayQueue<>(Streams.POOL_SIZE);
        mpmcAtomic = new MpmcAtomicArrayQueue<>(Streams.POOL_SIZE);
        for (String id : Streams.IDS) {
            blocking.add(Streams.fresh(id, Streams.CONNECTION));
            mpmc.offer(Streams.fresh(id, Streams.CONNECTION));
            mpmcAtomic.offer(Streams.fresh(id, Streams.CONNECTION));
        }
        GenericObjectPoolConfig<PooledStream> config = new GenericObjectPoolConfig<>();
        config.setMaxTotal(Streams.POOL_SIZE);
        config.setMaxIdle(Streams.POOL_SIZE);
        config.setJmxEnabled(false);
        commons = new GenericObjectPool<>(new Factory(), config);
        commons.addObjects(Streams.POOL_SIZE);
    }

    @TearDown(Level.Iteration)
    public void stillFull() {
        Checks.full("ArrayBlockingQueue", blocking.size());
        Checks.full("MpmcArrayQueue", mpmc.size());
        Checks.full("MpmcAtomicArrayQueue", mpmcAtomic.size());
        Checks.full("GenericObjectPool", commons.getNumIdle());
    }

    @TearDown(Level.Trial)
    public void close() {
        commons.close();
    }

    /** (b) ArrayBlockingQueue take/put: the Go channel alone. */
    @Benchmark
    public PooledStream arrayBlockingQueue() throws InterruptedException {
        PooledStream s = blocking.take();
        blocking.put(Streams.replacing(s));
        return s;
    }

    /** (c) JCTools MpmcArrayQueue (Unsafe) poll/offer: the floor. */
    @Benchmark
    public PooledStream mpmcArrayQueue() {
        PooledStream s = Streams.found(mpmc.poll(), "MpmcArrayQueue.poll");
        mpmc.offer(Streams.replacing(s));
        return s;
    }

    /** (c') JCTools MpmcAtomicArrayQueue poll/offer: the floor without Unsafe. */
    @Benchmark
    public PooledStream mpmcAtomicArrayQueue() {
        PooledStream s = Streams.found(mpmcAtomic.poll(), "MpmcAtomicArrayQueue.poll");
        mpmcAtomic.offer(Streams.replacing(s));
        return s;
    }

    /**
     * (d) commons-pool2 borrow/return. It takes back only objects it made, so the borrowed one
     * goes back; the caller's fresh stream is still made (and consumed) for equal work.
     */
    @Benchmark
    public PooledStream commonsPool2(Blackhole bh) throws Exception {
        PooledStream s = commons.borrowObject();
        bh.consume(Streams.replacing(s));
        commons.returnObject(s);
        return s;
    }

    /** Makes the pool's objects; validation and passivation are left at their no-op defaults. */
    private static final class Factory extends BasePooledObjectFactory<PooledStream> {
        private int next;

        @Override
        public PooledStream create() {
            return Streams.fresh(Streams.IDS[next++ % Streams.POOL_SIZE], Streams.CONNECTION);
        }

        @Override
        public PooledObject<PooledStream> wrap(PooledStream s) {
            return new DefaultPooledObject<>(s);
        }
    }
}
