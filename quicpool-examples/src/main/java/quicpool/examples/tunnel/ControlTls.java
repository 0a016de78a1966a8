// SPDX-License-Identifier: Apache-2.0
package quicpool.examples.tunnel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * TLS for the control channel, with the same key and the same trust as the QUIC pools: the
 * server presents the pool's certificate; the client accepts it as its pool does (pinned,
 * verified, or, with {@code --tls 0}, anything).
 */
final class ControlTls {
    static final String PROTOCOL = "TLSv1.3";

    private ControlTls() {
    }

    /** The server's context: its key entry, nothing asked of the client (the secret proves it). */
    static SSLContext server(KeyStore keyStore, char[] keyPassword) throws GeneralSecurityException {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keyStore, keyPassword);
        SSLContext context = SSLContext.getInstance(PROTOCOL);
        context.init(kmf.getKeyManagers(), null, new SecureRandom());
        return context;
    }

    /** The client's context, judging the server by {@code trust}. */
    static SSLContext client(X509TrustManager trust) throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance(PROTOCOL);
        context.init(null, new TrustManager[] {trust}, new SecureRandom());
        return context;
    }

    /** The JDK's trust store; the host name is checked by the socket (endpoint identification). */
    static X509TrustManager verified() throws GeneralSecurityException {
        TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        f.init((KeyStore) null);
        for (TrustManager tm : f.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                return x;
            }
        }
        throw new GeneralSecurityException("the JDK offers no X509TrustManager");
    }

    /**
     * Accepts the server whose leaf certificate has this SHA-256 digest (hex, colons allowed), as
     * {@code pinFingerprint} does for the pool.
     *
     * @throws IllegalArgumentException if it is not 64 hex digits
     */
    static X509TrustManager pinned(String sha256Hex) {
        return pin(sha256Hex, "certificate", Certificate::getEncoded);
    }

    /**
     * Accepts the server whose leaf certificate carries a public key whose SubjectPublicKeyInfo
     * has this SHA-256 digest (hex, colons allowed), as {@code pinPublicKey} does for the pool: it
     * still holds after the certificate is renewed with the same key.
     *
     * @throws IllegalArgumentException if it is not 64 hex digits
     */
    static X509TrustManager pinnedKey(String sha256Hex) {
        return pin(sha256Hex, "public key", c -> c.getPublicKey().getEncoded());
    }

    /** The part of a certificate a pin digests. */
    private interface Pinned {
        byte[] of(X509Certificate certificate) throws GeneralSecurityException;
    }

    private static X509TrustManager pin(String sha256Hex, String what, Pinned part) {
        byte[] pin = sha256(sha256Hex, what);
        return new Judge() {
            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                if (chain == null || chain.length == 0) {
                    throw new CertificateException("the control channel's server sent no certificate");
                }
                byte[] digest;
                try {
                    digest = MessageDigest.getInstance("SHA-256").digest(part.of(chain[0]));
                } catch (GeneralSecurityException e) {
                    throw new CertificateException(e);
                }
                if (!MessageDigest.isEqual(pin, digest)) {
                    throw new CertificateException("the control channel's server " + what + " has SHA-256 "
                            + HexFormat.of().formatHex(digest) + ", not the pinned " + HexFormat.of().formatHex(pin));
                }
                chain[0].checkValidity();
            }
        };
    }

    /** The SHA-256 fingerprint, hex, of the first certificate in a PEM file. */
    static String fingerprint(Path pemFile) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(pemFile)) {
            return fingerprint(CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
    }

    /** The SHA-256 fingerprint, hex, of a certificate: what {@link #pinned} takes. */
    static String fingerprint(Certificate certificate) throws GeneralSecurityException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    }

    /** The 32 bytes of a SHA-256 digest in hex, colons allowed. */
    private static byte[] sha256(String hex, String what) {
        byte[] digest;
        try {
            digest = HexFormat.of().parseHex(hex.replace(":", "").trim());
        } catch (IllegalArgumentException notHex) {
            digest = new byte[0];
        }
        if (digest.length != 32) {
            throw new IllegalArgumentException("a " + what + " pin must be a SHA-256 digest, 64 hex digits, was \""
                    + hex + "\"");
        }
        return digest;
    }

    /** The SHA-256 digest, hex, of a certificate's SubjectPublicKeyInfo: what {@link #pinnedKey} takes. */
    static String publicKeyDigest(Certificate certificate) throws GeneralSecurityException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getPublicKey().getEncoded()));
    }

    /** {@code --tls 0}: any certificate. The secret still never crosses the wire. */
    static X509TrustManager anyCertificate() {
        return new Judge() {
            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                // accepted: --tls 0 asked for no check, and the command line warned about it
            }
        };
    }

    /** A client-side judge: it is never asked about clients. */
    private abstract static class Judge implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("the tunnel client judges servers only");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
