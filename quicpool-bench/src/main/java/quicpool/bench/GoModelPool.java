// SPDX-License-Identifier: Apache-2.0
package quicpool.bench;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import quicpool.core.stream.PooledStream;

/**
 * A model of the original Go pool's get path, for baselines: its data structures and its
 * algorithm, in Java's nearest equivalents.
 *
 * <ul>
 *   <li>A Go buffered channel is a lock and a ring buffer: {@link ArrayBlockingQueue}. A
 *       {@code sync.Map} is a concurrent map: {@link ConcurrentHashMap}.
 *   <li>One global ID channel (capacity maxCap); shards of 128 streams, each with its own map and
 *       its own ID channel (capacity 128); {@code min(max(ceil(maxCap / 128), 1), 64)} shards.
 *   <li>{@code OutgoingGet(id)}: look the ID up in every shard's map in turn (load-and-delete);
 *       if found, receive one ID from that shard's channel and one from the global channel
 *       &mdash; the <em>heads</em>, not the taken ID (the original's defect: channels and maps
 *       drift apart; the count of IDs stays right, so the channels never drain); if not found,
 *       wait 50 ms and look again, until the timeout.
 *   <li>{@code IncomingGet}: receive an ID from the global channel (waiting up to the timeout),
 *       then the same shard lookup; an ID whose stream is gone is dropped and the next one tried.
 *   <li>A new stream (the client's {@code createStream}): store it in its shard's map, then send
 *       its ID to the shard's channel and to the global channel without blocking, undoing both
 *       when either is full. The server stores the stream only after sending the IDs, which lets
 *       a racing {@code IncomingGet} drop a live ID for good; the client's order keeps the model
 *       in a steady state.
 * </ul>
 *
 * <p>Left out, which flatters the model: the original allocates a context, a timer and a
 * {@code StreamConn} wrapper on every get.
 */
final class GoModelPool {
    static final int STREAMS_PER_SHARD = 128;
    /** The original's {@code idRetryInterval}. */
    static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    /** One shard's map and ID channel; the owner of its streams. */
    static final class Shard {
        final ConcurrentHashMap<String, PooledStream> streams = new ConcurrentHashMap<>();
        final ArrayBlockingQueue<String> idChan = new ArrayBlockingQueue<>(STREAMS_PER_SHARD);
    }

    private final Shard[] shards;
    private final ArrayBlockingQueue<String> idChan;

    GoModelPool(int maxCap) {
        int n = Math.min(Math.max((maxCap + STREAMS_PER_SHARD - 1) / STREAMS_PER_SHARD, 1), 64);
        shards = new Shard[n];
        for (int i = 0; i < n; i++) {
            shards[i] = new Shard();
        }
        idChan = new ArrayBlockingQueue<>(maxCap);
    }

    /** The shard the i-th stream of a full pool belongs to. */
    Shard shard(int i) {
        return shards[i / STREAMS_PER_SHARD];
    }

    /**
     * Adds a stream whose {@link PooledStream#owner() owner} is one of this pool's shards.
     *
     * @return false if a channel was full (the original then closes the stream)
     */
    boolean put(PooledStream s) {
        Shard shard = (Shard) s.owner();
        String id = s.id();
        shard.streams.put(id, s);
        if (!shard.idChan.offer(id)) {
            shard.streams.remove(id);
            return false;
        }
        if (!idChan.offer(id)) {
            shard.idChan.poll();
            shard.streams.remove(id);
            return false;
        }
        return true;
    }

    /** {@code IncomingGet}: null if no usable ID came within the timeout. */
    PooledStream incomingGet(long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (true) {
            String id = idChan.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (id == null) {
                return null;
            }
            PooledStream s = findInShards(id);
            if (s != null) {
                return s;
            }
        }
    }

    /** {@code OutgoingGet(id)}: polls every 50 ms; null if the ID did not show up within the timeout. */
    PooledStream outgoingGet(String id, long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (true) {
            PooledStream s = findInShards(id);
            if (s != null) {
                idChan.take(); // the head, whatever ID it is
                return s;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            LockSupport.parkNanos(this, Math.min(RETRY_NANOS, left)); // the original's fixed retry tick
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while polling for stream " + id);
            }
        }
    }

    /** {@code findStreamInShards(id, true)}: every shard's map in turn; the shard channel's head goes too. */
    private PooledStream findInShards(String id) throws InterruptedException {
        for (Shard shard : shards) {
            PooledStream s = shard.streams.remove(id);
            if (s != null) {
                shard.idChan.take(); // the head, whatever ID it is
                if (s.connectionOpen()) {
                    return s;
                }
            }
        }
        return null;
    }

    /** IDs in the global channel: the original's {@code Active()}. */
    int active() {
        return idChan.size();
    }
}
