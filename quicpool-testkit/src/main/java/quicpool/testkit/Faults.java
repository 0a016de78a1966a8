// SPDX-License-Identifier: Apache-2.0
package quicpool.testkit;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/** The faults one {@link InMemoryTransport} injects; thread-safe. */
final class Faults {
    private final AtomicInteger failDials = new AtomicInteger();
    private final AtomicInteger failStreamOpens = new AtomicInteger();
    private volatile Duration streamOpenLatency = Duration.ZERO;
    private volatile int streamBufferLimit = Integer.MAX_VALUE;

    void failNextDials(int n) {
        failDials.set(nonNegative(n, "dial failure count"));
    }

    void failNextStreamOpens(int n) {
        failStreamOpens.set(nonNegative(n, "stream open failure count"));
    }

    /** True when this dial must fail; uses up one injected failure. */
    boolean takeDialFailure() {
        return takeOne(failDials);
    }

    /** True when this stream open must fail; uses up one injected failure. */
    boolean takeStreamOpenFailure() {
        return takeOne(failStreamOpens);
    }

    void streamOpenLatency(Duration latency) {
        Objects.requireNonNull(latency, "latency");
        if (latency.isNegative()) {
            throw new IllegalArgumentException("stream open latency must be >= 0, was " + latency);
        }
        streamOpenLatency = latency;
    }

    Duration streamOpenLatency() {
        return streamOpenLatency;
    }

    void streamBufferLimit(int bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("stream buffer limit must be at least 1 byte, was " + bytes);
        }
        streamBufferLimit = bytes;
    }

    int streamBufferLimit() {
        return streamBufferLimit;
    }

    private static boolean takeOne(AtomicInteger counter) {
        return counter.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }

    private static int nonNegative(int n, String what) {
        if (n < 0) {
            throw new IllegalArgumentException(what + " must be >= 0, was " + n);
        }
        return n;
    }
}
