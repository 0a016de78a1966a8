// SPDX-License-Identifier: Apache-2.0
package quicpool.api.spi;

/**
 * Receives the bidirectional streams a peer opens on one connection. Called on a transport
 * thread: must not block; hand reading and writing to another thread.
 */
@FunctionalInterface
public interface StreamHandler {

    /** The peer opened a bidirectional stream. The handler now owns it and must close it. */
    void onStream(TransportStream stream);
}
