// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.netty;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import quicpool.api.TlsInfo;

/** Reads the {@link TlsInfo} of a connection from its finished TLS engine. */
final class TlsInfos {

    private TlsInfos() {
    }

    static TlsInfo of(SSLEngine engine) {
        if (engine == null) {
            throw new IllegalStateException("the connection has no TLS engine (closed before its handshake?)");
        }
        SSLSession session = engine.getSession();
        String protocol = session.getProtocol();
        String alpn = engine.getApplicationProtocol();
        return new TlsInfo(
                protocol == null || protocol.isEmpty() || protocol.equals("NONE") ? "TLSv1.3" : protocol,
                String.valueOf(session.getCipherSuite()),
                alpn == null ? "" : alpn,
                peerCertificates(session));
    }

    private static List<X509Certificate> peerCertificates(SSLSession session) {
        Certificate[] peer;
        try {
            peer = session.getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            return List.of(); // the peer sent none, as clients of the pool do
        }
        List<X509Certificate> out = new ArrayList<>(peer.length);
        for (Certificate c : peer) {
            if (c instanceof X509Certificate) {
                out.add((X509Certificate) c);
            }
        }
        return out;
    }
}
