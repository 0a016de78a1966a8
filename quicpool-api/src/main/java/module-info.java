// SPDX-License-Identifier: Apache-2.0
/**
 * quicpool's public API: pre-opened QUIC stream pools for tunnels, proxies and RPC layers.
 *
 * <p>Users {@code requires quicpool.api} and build pools with {@link quicpool.api.QuicPools}. The
 * engine ({@code quicpool.core}) and a transport ({@code quicpool.transport.kwik} or
 * {@code quicpool.transport.netty}) are found at run time with {@link java.util.ServiceLoader}.
 */
module quicpool.api {
    exports quicpool.api;
    exports quicpool.api.spi;
    exports quicpool.api.internal to quicpool.core;

    uses quicpool.api.internal.PoolEngine;
    uses quicpool.api.spi.QuicTransport;
}
