// SPDX-License-Identifier: Apache-2.0
package quicpool.core.sim;

import java.util.function.LongSupplier;

/** Simulated nanoseconds: time moves only when the simulation says so. */
final class VirtualClock implements LongSupplier {
    private long nanos;

    @Override
    public long getAsLong() {
        return nanos;
    }

    void advanceTo(long t) {
        if (t < nanos) {
            throw new IllegalArgumentException("time runs forward only: at " + nanos + " ns, asked for " + t + " ns");
        }
        nanos = t;
    }
}
