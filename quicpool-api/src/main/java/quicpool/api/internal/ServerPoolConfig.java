// SPDX-License-Identifier: Apache-2.0
package quicpool.api.internal;

import java.net.InetSocketAddress;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import quicpool.api.IpRange;
import quicpool.api.PoolBuilder;
import quicpool.api.PoolMetrics;
import quicpool.api.ServerPoolBuilder;

/**
 * A validated server pool configuration, made by {@link ServerPoolBuilder#build()} for the
 * engine; the engine's tests read one through {@link BuilderConfigs#server}.
 *
 * @param maxCapacity      idle streams kept at most; a new stream beyond it is refused
 * @param allowedClients   clients admitted; empty admits anyone
 * @param listenAddress    the UDP address to bind; port 0 lets the system choose
 * @param keyStore         the server's key and certificate chain
 * @param keyAlias         the key entry's alias
 * @param keyPassword      the key entry's password
 * @param keepAlive        QUIC keep-alive period; the idle timeout is three times it
 * @param handshakeTimeout bound on the wait for a new stream's handshake byte
 * @param leakDetectionThreshold how long a taken stream may stay open before it is reported as a
 *                         leak; zero means leak detection is off
 *                         (see {@link PoolBuilder#leakDetectionThreshold(Duration)})
 * @param name             the pool's name; null means the engine numbers one ({@link PoolBuilder#name(String)})
 * @param metrics          binds the pool's metrics when it is built; null means none
 *                         ({@link PoolBuilder#metrics(PoolMetrics)})
 * @param threadFactory    makes every thread the pool starts; null means the built-in daemon
 *                         platform threads (see {@link PoolBuilder#threadFactory(ThreadFactory)})
 * @param maxConnections   connections the server holds at most, from all clients together
 * @param maxConnectionsPerAddress connections the server holds at most from one client IP address
 * @param retry            whether the server validates a client's address with a QUIC Retry
 *                         before its handshake ({@link ServerPoolBuilder#retry(boolean)})
 * @param maxHandshakes    handshakes the server has in progress at most
 * @param maxPendingStreamsPerConnection streams of one connection awaiting their handshake byte at most
 *                         ({@link ServerPoolBuilder#maxPendingStreamsPerConnection(int)})
 */
public record ServerPoolConfig(int maxCapacity, List<IpRange> allowedClients, InetSocketAddress listenAddress,
                               KeyStore keyStore, String keyAlias, char[] keyPassword, Duration keepAlive,
                               Duration handshakeTimeout, Duration leakDetectionThreshold,
                               String name, PoolMetrics metrics, ThreadFactory threadFactory, int maxConnections,
                               int maxConnectionsPerAddress, boolean retry, int maxHandshakes,
                               int maxPendingStreamsPerConnection) {
    public ServerPoolConfig {
        allowedClients = List.copyOf(allowedClients);
    }

    /** True if a client at this address may connect. */
    public boolean admits(java.net.InetAddress client) {
        if (allowedClients.isEmpty()) {
            return true;
        }
        for (IpRange r : allowedClients) {
            if (r.contains(client)) {
                return true;
            }
        }
        return false;
    }
}
