// SPDX-License-Identifier: Apache-2.0
package quicpool.core.tls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;
import javax.net.ssl.X509TrustManager;

/**
 * {@link quicpool.api.TlsMode#SELF_SIGNED}: the server's leaf certificate must be the pinned one
 * (compared by SHA-256 of its DER encoding) and within its validity period.
 */
final class PinnedTrustManager implements X509TrustManager {
    private final byte[] pinnedSha256;

    PinnedTrustManager(X509Certificate pinned, byte[] pinnedSha256) {
        try {
            this.pinnedSha256 = pinned != null ? sha256(pinned) : pinnedSha256.clone();
        } catch (CertificateException e) {
            throw new IllegalArgumentException("pinned certificate cannot be encoded: " + e.getMessage(), e);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("server sent no certificate; the pinned one was expected");
        }
        byte[] actual = sha256(chain[0]);
        if (!MessageDigest.isEqual(actual, pinnedSha256)) {
            throw new CertificateException("server certificate does not match the pinned one: SHA-256 "
                    + HexFormat.of().formatHex(actual) + ", pinned " + HexFormat.of().formatHex(pinnedSha256)
                    + " (subject " + chain[0].getSubjectX500Principal().getName() + ")");
        }
        Validity.check(chain[0]);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a client pool does not accept client certificates");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return TrustManagers.NO_ISSUERS;
    }

    static byte[] sha256(X509Certificate c) throws CertificateException {
        try {
            return MessageDigest.getInstance("SHA-256").digest(c.getEncoded());
        } catch (NoSuchAlgorithmException e) {
            throw new CertificateException(e);
        }
    }

    @Override
    public String toString() {
        return "pinned SHA-256 " + HexFormat.of().formatHex(Arrays.copyOf(pinnedSha256, 8)) + "...";
    }
}
