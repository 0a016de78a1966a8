// SPDX-License-Identifier: Apache-2.0
package quicpool.api;

/** Thrown by a get on a pool that is closed, or that gets closed while the get waits. */
public final class PoolClosedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public PoolClosedException(String message) {
        super(message);
    }
}
