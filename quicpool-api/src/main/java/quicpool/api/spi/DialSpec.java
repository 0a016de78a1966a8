// SPDX-License-Identifier: Apache-2.0
package quicpool.api.spi;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.X509TrustManager;

/**
 * What a client connection is dialed with.
 *
 * @param remote         the server's address, freshly resolved for this dial
 * @param serverName     the name sent as SNI and checked by {@code trustManager}
 * @param trustManager   the sole judge of the server's certificate chain, hostname check included;
 *                       transports must not add checks of their own, nor skip this one
 * @param settings       the QUIC settings
 * @param connectTimeout how long the dial may take, TLS handshake included
 */
public record DialSpec(InetSocketAddress remote, String serverName, X509TrustManager trustManager,
                       QuicSettings settings, Duration connectTimeout) {
    /**
     * Checks for null and the connect timeout's sign.
     *
     * @throws NullPointerException     if any is null, naming it
     * @throws IllegalArgumentException if {@code connectTimeout} is zero or negative, naming it
     */
    public DialSpec {
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(serverName, "serverName");
        Objects.requireNonNull(trustManager, "trustManager");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be positive, was " + connectTimeout);
        }
    }
}
