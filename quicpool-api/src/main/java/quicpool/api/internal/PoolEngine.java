// SPDX-License-Identifier: Apache-2.0
package quicpool.api.internal;

import quicpool.api.ClientPool;
import quicpool.api.ServerPool;
import quicpool.api.spi.QuicTransport;

/**
 * Creates pools from validated configurations. Provided by {@code quicpool.core} through {@link
 * java.util.ServiceLoader}; users never call it directly.
 */
public interface PoolEngine {

    /** A client pool, not yet started. */
    ClientPool newClientPool(ClientPoolConfig config, QuicTransport transport);

    /** A server pool, not yet started. */
    ServerPool newServerPool(ServerPoolConfig config, QuicTransport transport);
}
