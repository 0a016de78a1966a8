// SPDX-License-Identifier: Apache-2.0
package quicpool.core.tls;

import java.security.cert.X509Certificate;
import javax.net.ssl.X509TrustManager;

/** {@link quicpool.api.TlsMode#INSECURE}: every server certificate passes. */
final class AcceptAnyTrustManager implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
        // a client pool never judges clients
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
        // insecure by the user's choice
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return TrustManagers.NO_ISSUERS;
    }
}
