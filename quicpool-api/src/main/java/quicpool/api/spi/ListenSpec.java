// SPDX-License-Identifier: Apache-2.0
package quicpool.api.spi;

import java.net.InetSocketAddress;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Objects;

/**
 * What a server listener is bound with.
 *
 * @param bindAddress the UDP address to bind; port 0 lets the system choose
 * @param keyStore    holds the server's private key and certificate chain
 * @param keyAlias    the alias of the key entry in {@code keyStore}
 * @param keyPassword the key entry's password
 * @param settings    the QUIC settings
 * @param admission   which sources may start a connection, checked at their first packet
 * @param handshakeTimeout a transport that can closes a connection whose QUIC and TLS handshake has
 *                    not completed this long after the client's first packet, and reports it to
 *                    {@link ConnectionHandler#onHandshakeFailed}; positive
 * @param retry       true: the listener answers a client's first Initial packet with a QUIC Retry
 *                    (RFC 9000 8.1.2) and handshakes only with clients that echo its token, which
 *                    proves they receive at their source address; false: no Retry (one round trip
 *                    less per dial). Only a transport that claims {@link Capability#RETRY} accepts
 *                    true; the others refuse it in {@link QuicTransport#listen}
 */
public record ListenSpec(InetSocketAddress bindAddress, KeyStore keyStore, String keyAlias,
                         char[] keyPassword, QuicSettings settings, Admission admission,
                         Duration handshakeTimeout, boolean retry) {
    public ListenSpec {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(keyStore, "keyStore");
        Objects.requireNonNull(keyAlias, "keyAlias");
        Objects.requireNonNull(keyPassword, "keyPassword");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(admission, "admission");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        if (handshakeTimeout.isZero() || handshakeTimeout.isNegative()) {
            throw new IllegalArgumentException("handshakeTimeout must be positive, was " + handshakeTimeout);
        }
    }

    /** Handshakes bounded by default: {@value #DEFAULT_HANDSHAKE_SECONDS} s. */
    public static final int DEFAULT_HANDSHAKE_SECONDS = 10;

    /** A listener without Retry ({@code retry} false). */
    public ListenSpec(InetSocketAddress bindAddress, KeyStore keyStore, String keyAlias, char[] keyPassword,
                      QuicSettings settings, Admission admission, Duration handshakeTimeout) {
        this(bindAddress, keyStore, keyAlias, keyPassword, settings, admission, handshakeTimeout, false);
    }

    /**
     * A listener without Retry that admits every source ({@link Admission#ALL}), with handshakes bounded by {@value
     * #DEFAULT_HANDSHAKE_SECONDS} s.
     */
    public ListenSpec(InetSocketAddress bindAddress, KeyStore keyStore, String keyAlias, char[] keyPassword,
                      QuicSettings settings) {
        this(bindAddress, keyStore, keyAlias, keyPassword, settings, Admission.ALL,
                Duration.ofSeconds(DEFAULT_HANDSHAKE_SECONDS));
    }
}
