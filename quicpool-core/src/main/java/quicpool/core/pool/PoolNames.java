// SPDX-License-Identifier: Apache-2.0
package quicpool.core.pool;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The default pool names: the role and a number counted per role in this JVM, {@code client-1}. */
final class PoolNames {
    private static final ConcurrentHashMap<String, AtomicInteger> COUNTERS = new ConcurrentHashMap<>();

    private PoolNames() {
    }

    static String next(String role) {
        return role + "-" + COUNTERS.computeIfAbsent(role, r -> new AtomicInteger()).incrementAndGet();
    }
}
