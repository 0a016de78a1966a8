// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.netty;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Passes every decision to the dial's trust manager unchanged, and remembers why it refused a
 * chain. BoringSSL turns a refusal into a bare "CERTIFICATE_VERIFY_FAILED"; the dialer takes the
 * recorded reason back so that the caller learns what the trust manager said.
 */
final class RefusalRecordingTrustManager extends X509ExtendedTrustManager {

    private final X509TrustManager delegate;
    private final Map<SSLEngine, Exception> refusals = new ConcurrentHashMap<>();

    RefusalRecordingTrustManager(X509TrustManager delegate) {
        this.delegate = delegate;
    }

    /** The refusal recorded for this engine's handshake, removed; null when there was none. */
    Exception takeRefusal(SSLEngine engine) {
        return engine == null ? null : refusals.remove(engine);
    }

    /** Forgets what was recorded for this engine. */
    void forget(SSLEngine engine) {
        if (engine != null) {
            refusals.remove(engine);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        try {
            if (delegate instanceof X509ExtendedTrustManager) {
                ((X509ExtendedTrustManager) delegate).checkServerTrusted(chain, authType, engine);
            } else {
                delegate.checkServerTrusted(chain, authType);
            }
        } catch (CertificateException | RuntimeException e) {
            if (engine != null) {
                refusals.put(engine, e);
            }
            throw e;
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        if (delegate instanceof X509ExtendedTrustManager) {
            ((X509ExtendedTrustManager) delegate).checkServerTrusted(chain, authType, socket);
        } else {
            delegate.checkServerTrusted(chain, authType);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        delegate.checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        if (delegate instanceof X509ExtendedTrustManager) {
            ((X509ExtendedTrustManager) delegate).checkClientTrusted(chain, authType, engine);
        } else {
            delegate.checkClientTrusted(chain, authType);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        if (delegate instanceof X509ExtendedTrustManager) {
            ((X509ExtendedTrustManager) delegate).checkClientTrusted(chain, authType, socket);
        } else {
            delegate.checkClientTrusted(chain, authType);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        delegate.checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return delegate.getAcceptedIssuers();
    }
}
