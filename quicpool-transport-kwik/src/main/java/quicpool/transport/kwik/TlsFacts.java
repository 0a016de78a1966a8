// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik;

import java.security.cert.X509Certificate;
import java.util.List;
import quicpool.api.TlsInfo;

/** The TLS facts Kwik lets a user learn, and what stands in for those it hides. */
final class TlsFacts {

    static final String PROTOCOL = "TLSv1.3";
    /**
     * The only suite a Kwik client offers when none is configured, hence the negotiated one: Kwik
     * rejects a server that picks a suite it did not offer.
     */
    static final String CLIENT_CIPHER_SUITE = "TLS_AES_128_GCM_SHA256";
    /**
     * Kwik's server picks the client's first offered suite among the three it supports and keeps
     * the choice to itself.
     */
    static final String UNKNOWN = "unknown";

    private TlsFacts() {
    }

    static TlsInfo client(String alpn, List<X509Certificate> serverChain) {
        return new TlsInfo(PROTOCOL, CLIENT_CIPHER_SUITE, alpn, serverChain == null ? List.of() : serverChain);
    }

    /** Kwik's server asks for no client certificate. */
    static TlsInfo server(String alpn) {
        return new TlsInfo(PROTOCOL, UNKNOWN, alpn, List.of());
    }
}
