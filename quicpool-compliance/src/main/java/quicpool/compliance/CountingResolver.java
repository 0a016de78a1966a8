// SPDX-License-Identifier: Apache-2.0
package quicpool.compliance;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * An address resolver for a client pool that counts its calls (one per dial) and can be switched
 * between answering an address and throwing.
 */
public final class CountingResolver implements Supplier<InetSocketAddress> {
    private final AtomicLong calls = new AtomicLong();
    private final AtomicReference<InetSocketAddress> answer = new AtomicReference<>();
    private volatile String failure;

    /** Answers {@code address} from now on. */
    public CountingResolver answer(InetSocketAddress address) {
        failure = null;
        answer.set(address);
        return this;
    }

    /** Throws {@link IllegalStateException} with {@code message} from now on. */
    public CountingResolver fail(String message) {
        failure = message;
        return this;
    }

    /** Calls so far. */
    public long calls() {
        return calls.get();
    }

    @Override
    public InetSocketAddress get() {
        calls.incrementAndGet();
        String f = failure;
        if (f != null) {
            throw new IllegalStateException(f);
        }
        return answer.get();
    }
}
