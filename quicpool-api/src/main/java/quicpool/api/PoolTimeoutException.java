// SPDX-License-Identifier: Apache-2.0
package quicpool.api;

import java.util.concurrent.TimeoutException;

/**
 * Thrown by a get when no stream arrived in time. The message says what was waited for and how
 * long, then the pool's state when the get gave up: its role, name and transport, idle streams, target
 * capacity, live QUIC connections, the other gets waiting, and for a client the last connect
 * failure if there was one, for example
 * {@code no stream became ready within PT5S (client pool client-1 over kwik: 0 idle streams, target capacity
 * 16, 0 live connections, 3 other gets waiting; last connect failure: java.net.ConnectException: ...)}.
 * The counts are read one after another without stopping the pool. The wording is for people and
 * may change; do not parse it.
 */
public final class PoolTimeoutException extends TimeoutException {
    private static final long serialVersionUID = 1L;

    public PoolTimeoutException(String message) {
        super(message);
    }
}
