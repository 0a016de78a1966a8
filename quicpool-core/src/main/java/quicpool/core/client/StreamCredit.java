// SPDX-License-Identifier: Apache-2.0
package quicpool.core.client;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The stream credit of one client connection: how many of its streams are open (being opened,
 * handshaken, idle or handed out), which must stay within the streams the peer allows. A refill
 * task takes credit before it opens streams; each stream gives its one back when it closes, and a
 * task gives back what it took but did not turn into a stream. The one owner of that count.
 * Thread-safe and lock-free.
 */
final class StreamCredit {
    private final int limit;
    private final AtomicInteger open = new AtomicInteger();

    /**
     * @throws IllegalArgumentException if {@code limit} is not positive
     */
    StreamCredit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("stream limit must be at least 1, was " + limit);
        }
        this.limit = limit;
    }

    /**
     * Takes credit for up to {@code wanted} streams: as many as the limit leaves free, possibly 0.
     *
     * @return the credit taken, {@code 0 <= taken <= max(wanted, 0)}
     */
    int take(int wanted) {
        while (true) {
            int now = open.get();
            int n = Math.min(wanted, limit - now);
            if (n <= 0) {
                return 0;
            }
            if (open.compareAndSet(now, now + n)) {
                return n;
            }
        }
    }

    /** Gives back one stream's credit: it closed, or was never opened. */
    void giveBack() {
        giveBack(1);
    }

    /**
     * Gives back the credit of {@code n} streams.
     *
     * @throws IllegalStateException if more is given back than was taken (the count is then left
     *                               unchanged)
     */
    void giveBack(int n) {
        int after = open.addAndGet(-n);
        if (after < 0) {
            open.addAndGet(n);
            throw new IllegalStateException("gave back " + n + " stream credits, " + (after + n)
                    + " were taken; expected at most that many");
        }
    }

    /** Streams open now. */
    int open() {
        return open.get();
    }
}
