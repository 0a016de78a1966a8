// SPDX-License-Identifier: Apache-2.0
package quicpool.bench;

/** Guards of the steady state: a benchmark whose pool drained measures nothing. */
final class Checks {
    private Checks() {
    }

    /** Throws unless the pool holds all of its streams again (checked between iterations). */
    static void full(String what, int idle) {
        if (idle != Streams.POOL_SIZE) {
            throw new IllegalStateException(what + " holds " + idle + " idle streams after the iteration, expected "
                    + Streams.POOL_SIZE + ": the steady state was lost");
        }
    }
}
