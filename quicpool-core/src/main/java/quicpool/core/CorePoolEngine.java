// SPDX-License-Identifier: Apache-2.0
package quicpool.core;

import quicpool.api.ClientPool;
import quicpool.api.ServerPool;
import quicpool.api.internal.ClientPoolConfig;
import quicpool.api.internal.PoolEngine;
import quicpool.api.internal.ServerPoolConfig;
import quicpool.api.spi.QuicTransport;
import quicpool.core.client.CoreClientPool;
import quicpool.core.control.Controllers;
import quicpool.core.server.CoreServerPool;

/** The engine {@link java.util.ServiceLoader} finds for {@code quicpool.api}. */
public final class CorePoolEngine implements PoolEngine {

    @Override
    public ClientPool newClientPool(ClientPoolConfig config, QuicTransport transport) {
        CoreClientPool pool = new CoreClientPool(config, transport, Controllers.forConfig(config));
        pool.bindMetrics(config.metrics());
        return pool;
    }

    @Override
    public ServerPool newServerPool(ServerPoolConfig config, QuicTransport transport) {
        CoreServerPool pool = new CoreServerPool(config, transport);
        pool.bindMetrics(config.metrics());
        return pool;
    }
}
