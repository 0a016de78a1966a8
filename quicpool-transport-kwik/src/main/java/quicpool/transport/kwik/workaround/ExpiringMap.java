// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik.workaround;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded memory of keys seen lately, each with a value: entries are forgotten after a time to
 * live, and the oldest first when more than a maximum are held. Thread-safe; no call blocks.
 */
final class ExpiringMap<K, V> {

    private final long ttlNanos;
    private final int max;
    private final ReentrantLock lock = new ReentrantLock();
    private final LinkedHashMap<K, Entry<V>> entries = new LinkedHashMap<>();

    private record Entry<V>(V value, long added) {
    }

    ExpiringMap(Duration ttl, int max) {
        this.ttlNanos = ttl.toNanos();
        this.max = max;
    }

    /**
     * Remembers {@code key} unless it is already known (the first value stays).
     *
     * @return whether the key was new
     */
    boolean putIfAbsent(K key, V value) {
        long now = System.nanoTime();
        lock.lock();
        try {
            forgetOld(now);
            boolean added = entries.putIfAbsent(key, new Entry<>(value, now)) == null;
            if (entries.size() > max) {
                Iterator<Map.Entry<K, Entry<V>>> eldest = entries.entrySet().iterator();
                eldest.next();
                eldest.remove();
            }
            return added;
        } finally {
            lock.unlock();
        }
    }

    /** The value of {@code key} if it was seen within the time to live, else {@code null}. */
    V get(K key) {
        return valueOf(key, false);
    }

    /** Forgets {@code key}: its value if it was seen within the time to live, else {@code null}. */
    V remove(K key) {
        return valueOf(key, true);
    }

    private V valueOf(K key, boolean forget) {
        long now = System.nanoTime();
        lock.lock();
        try {
            Entry<V> entry = forget ? entries.remove(key) : entries.get(key);
            return entry == null || now - entry.added() > ttlNanos ? null : entry.value();
        } finally {
            lock.unlock();
        }
    }

    private void forgetOld(long now) {
        Iterator<Entry<V>> oldest = entries.values().iterator();
        while (oldest.hasNext() && now - oldest.next().added() > ttlNanos) {
            oldest.remove();
        }
    }
}
