// SPDX-License-Identifier: Apache-2.0
package quicpool.api;

import java.util.concurrent.TimeoutException;

/** Thrown by a get when no stream arrived in time; the message says what was waited for. */
public final class PoolTimeoutException extends TimeoutException {
    private static final long serialVersionUID = 1L;

    public PoolTimeoutException(String message) {
        super(message);
    }
}
