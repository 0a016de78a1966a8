// SPDX-License-Identifier: Apache-2.0
package quicpool.api.spi;

import java.net.InetSocketAddress;
import java.security.KeyStore;
import java.util.Objects;

/**
 * What a server listener is bound with.
 *
 * @param bindAddress the UDP address to bind; port 0 lets the system choose
 * @param keyStore    holds the server's private key and certificate chain
 * @param keyAlias    the alias of the key entry in {@code keyStore}
 * @param keyPassword the key entry's password
 * @param settings    the QUIC settings; on a listener, a transport that can closes a connection
 *                    whose handshake has not completed within {@link QuicSettings#connectTimeout()}
 *                    of the client's first packet, and reports it to {@link
 *                    ConnectionHandler#onHandshakeFailed}
 * @param admission   which sources may start a connection, checked at their first packet
 */
public record ListenSpec(InetSocketAddress bindAddress, KeyStore keyStore, String keyAlias,
                         char[] keyPassword, QuicSettings settings, Admission admission) {
    public ListenSpec {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(keyStore, "keyStore");
        Objects.requireNonNull(keyAlias, "keyAlias");
        Objects.requireNonNull(keyPassword, "keyPassword");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(admission, "admission");
    }

    /** A listener that admits every source ({@link Admission#ALL}). */
    public ListenSpec(InetSocketAddress bindAddress, KeyStore keyStore, String keyAlias, char[] keyPassword,
                      QuicSettings settings) {
        this(bindAddress, keyStore, keyAlias, keyPassword, settings, Admission.ALL);
    }
}
