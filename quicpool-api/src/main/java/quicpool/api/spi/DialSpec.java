// SPDX-License-Identifier: Apache-2.0
package quicpool.api.spi;

import java.net.InetSocketAddress;
import java.util.Objects;
import javax.net.ssl.X509TrustManager;

/**
 * What a client connection is dialed with.
 *
 * @param remote       the server's address, freshly resolved for this dial
 * @param serverName   the name sent as SNI and checked by {@code trustManager}
 * @param trustManager the sole judge of the server's certificate chain, hostname check included;
 *                     transports must not add checks of their own, nor skip this one
 * @param settings     the QUIC settings
 */
public record DialSpec(InetSocketAddress remote, String serverName, X509TrustManager trustManager,
                       QuicSettings settings) {
    public DialSpec {
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(serverName, "serverName");
        Objects.requireNonNull(trustManager, "trustManager");
        Objects.requireNonNull(settings, "settings");
    }
}
