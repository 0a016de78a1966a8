// SPDX-License-Identifier: Apache-2.0
package quicpool.api;

import java.net.InetSocketAddress;

/**
 * The listening end: accepts QUIC connections from allowed clients on one UDP socket, spreads
 * them over its shards, answers each new stream's handshake with a fresh ID and keeps up to
 * {@link #capacity()} idle streams ready.
 *
 * <p>Created with {@link QuicPools#server()}. Thread-safe.
 */
public interface ServerPool extends Pool {

    /**
     * The address the listener is bound to; with port 0 configured, the port the system chose.
     *
     * @throws IllegalStateException if the pool has not been started
     */
    InetSocketAddress localAddress();
}
