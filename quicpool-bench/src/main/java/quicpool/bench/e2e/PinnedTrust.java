// SPDX-License-Identifier: Apache-2.0
package quicpool.bench.e2e;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.X509TrustManager;

/**
 * The raw dials' trust manager: accepts only the benchmark's own server certificate, as the pool's
 * pinning mode does, so both sides pay the same certificate check.
 */
final class PinnedTrust implements X509TrustManager {
    private static final X509Certificate[] NONE = new X509Certificate[0];
    private final X509Certificate pinned;

    PinnedTrust(X509Certificate pinned) {
        this.pinned = pinned;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        if (chain == null || chain.length == 0 || !pinned.equals(chain[0])) {
            throw new CertificateException("server certificate is not the benchmark's pinned one");
        }
        chain[0].checkValidity();
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("the benchmark's client accepts no client certificates");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return NONE;
    }
}
