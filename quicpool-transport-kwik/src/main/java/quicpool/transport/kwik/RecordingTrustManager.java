// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.X509TrustManager;

/**
 * Hands the server's chain to the dial's trust manager, the sole judge, and remembers its verdict:
 * Kwik replaces the trust manager's exception by a generic TLS alert, so the reason would be lost.
 *
 * <p>Kwik names the key exchange "RSA" for every certificate; TLS 1.3 has no such notion and the
 * JDK's own TLS 1.3 code passes "UNKNOWN", which is what this passes on. (With "RSA", the JDK's
 * PKIX trust manager demands the keyEncipherment key usage, which EC certificates lack.)
 */
final class RecordingTrustManager implements X509TrustManager {

    static final String TLS13_AUTH_TYPE = "UNKNOWN";

    private final X509TrustManager judge;
    private volatile CertificateException refusal;

    RecordingTrustManager(X509TrustManager judge) {
        this.judge = judge;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        try {
            judge.checkServerTrusted(chain, TLS13_AUTH_TYPE);
        } catch (CertificateException e) {
            refusal = e;
            throw e;
        } catch (RuntimeException e) {
            // A trust manager that fails in another way has refused all the same.
            CertificateException refused = new CertificateException(String.valueOf(e.getMessage()), e);
            refusal = refused;
            throw refused;
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a client pool does not accept client certificates");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return judge.getAcceptedIssuers();
    }

    /** The trust manager's refusal of the server's chain, or null if it did not refuse one. */
    CertificateException refusal() {
        return refusal;
    }
}
