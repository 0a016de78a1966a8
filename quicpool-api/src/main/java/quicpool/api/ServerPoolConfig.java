// SPDX-License-Identifier: Apache-2.0
package quicpool.api;

import java.net.InetSocketAddress;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;

/**
 * A validated server pool configuration, made by {@link ServerPoolBuilder#build()}.
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
 * @param maxConnections   connections the server holds at most, from all clients together
 * @param maxConnectionsPerAddress connections the server holds at most from one client IP address
 */
public record ServerPoolConfig(int maxCapacity, List<IpRange> allowedClients, InetSocketAddress listenAddress,
                               KeyStore keyStore, String keyAlias, char[] keyPassword, Duration keepAlive,
                               Duration handshakeTimeout, Duration leakDetectionThreshold, int maxConnections,
                               int maxConnectionsPerAddress) {
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
