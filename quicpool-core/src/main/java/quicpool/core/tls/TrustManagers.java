// SPDX-License-Identifier: Apache-2.0
package quicpool.core.tls;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import quicpool.api.TlsMode;
import quicpool.api.internal.ClientPoolConfig;

/** The trust manager that judges the server for each {@link quicpool.api.TlsMode}. */
public final class TrustManagers {
    /** The logger of TLS choices: {@code quicpool.core.tls}. */
    static final System.Logger LOG = System.getLogger("quicpool.core.tls");

    private TrustManagers() {
    }

    /**
     * Logs a WARNING on {@code quicpool.core.tls} if {@code config} is {@link TlsMode#INSECURE}:
     * certificate checks are off. A pool calls it once, when it starts.
     */
    public static void warnIfInsecure(ClientPoolConfig config) {
        if (config.tlsMode() == TlsMode.INSECURE) {
            LOG.log(System.Logger.Level.WARNING, "quicpool client pool"
                    + (config.hostname() != null ? " for " + config.hostname() : "")
                    + " is insecure(): server certificate checks are off, so anyone on the path can pose as the"
                    + " server (the traffic is encrypted, but possibly to them); pin the server's certificate or"
                    + " public key, or verify() it, instead");
        }
    }

    /**
     * The sole judge of the server's certificate for a dial to {@code serverName}.
     *
     * @throws IllegalStateException if the JDK's PKIX trust manager cannot be made
     */
    public static X509TrustManager forConfig(ClientPoolConfig config, String serverName) {
        switch (config.tlsMode()) {
            case INSECURE:
                return new AcceptAnyTrustManager();
            case SELF_SIGNED:
                return new PinnedTrustManager(config.certificatePins(), config.publicKeyPins());
            case VERIFIED:
                return new HostnameTrustManager(pkix(config.trustStore()), serverName);
            default:
                throw new AssertionError(config.tlsMode());
        }
    }

    /** The JDK's PKIX trust manager over {@code trustStore}, or over the JDK's own when null. */
    static X509TrustManager pkix(KeyStore trustStore) {
        try {
            TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            f.init(trustStore);
            for (TrustManager tm : f.getTrustManagers()) {
                if (tm instanceof X509TrustManager) {
                    return (X509TrustManager) tm;
                }
            }
            throw new IllegalStateException("the JDK offers no X509TrustManager");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the trust manager: " + e.getMessage(), e);
        }
    }

    static final X509Certificate[] NO_ISSUERS = new X509Certificate[0];
}
