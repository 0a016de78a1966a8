// SPDX-License-Identifier: Apache-2.0
package quicpool.api;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * TLS facts of one QUIC connection.
 *
 * @param protocol            the TLS version, always {@code "TLSv1.3"} for QUIC
 * @param cipherSuite         the negotiated cipher suite, e.g. {@code "TLS_AES_128_GCM_SHA256"}, or
 *                            {@code "unknown"} where the QUIC stack does not expose it (Kwik's server side)
 * @param applicationProtocol the negotiated ALPN, {@code "np-quic"}
 * @param peerCertificates    the peer's certificate chain, leaf first; empty when the peer sent none
 */
public record TlsInfo(String protocol, String cipherSuite, String applicationProtocol,
                      List<X509Certificate> peerCertificates) {

    public TlsInfo {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(cipherSuite, "cipherSuite");
        Objects.requireNonNull(applicationProtocol, "applicationProtocol");
        peerCertificates = List.copyOf(peerCertificates);
    }
}
