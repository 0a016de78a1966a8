// SPDX-License-Identifier: Apache-2.0
package quicpool.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * A self-signed certificate and its private key, made by {@link TestCertificates}.
 *
 * @param certificate the certificate
 * @param privateKey  its private key
 */
public record TestCertificate(X509Certificate certificate, PrivateKey privateKey) {
    /** The alias of the key entry in {@link #keyStore()} and of the entry in {@link #trustStore()}. */
    public static final String ALIAS = "quicpool";

    public TestCertificate {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(privateKey, "privateKey");
    }

    /** The alias of the key entry, {@value #ALIAS}. */
    public String alias() {
        return ALIAS;
    }

    /** The key store's and key entry's password: empty. A fresh array on every call. */
    public char[] password() {
        return new char[0];
    }

    /**
     * A fresh in-memory PKCS12 key store holding the private key and certificate under {@link
     * #alias()}, protected by {@link #password()}.
     */
    public KeyStore keyStore() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, password());
            store.setKeyEntry(ALIAS, privateKey, password(), new Certificate[] {certificate});
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a PKCS12 key store for " + subject(), e);
        }
    }

    /** A fresh in-memory PKCS12 key store holding only the certificate, as a trusted entry. */
    public KeyStore trustStore() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, password());
            store.setCertificateEntry(ALIAS, certificate);
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a PKCS12 trust store for " + subject(), e);
        }
    }

    /**
     * The JDK's PKIX trust manager over {@link #trustStore()}: it accepts a chain that leads to
     * this certificate and is within its validity period, and checks no host name (as at the SPI
     * level, where the dial's trust manager is the sole judge).
     */
    public X509TrustManager trustManager() {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(trustStore());
            for (TrustManager tm : factory.getTrustManagers()) {
                if (tm instanceof X509TrustManager) {
                    return (X509TrustManager) tm;
                }
            }
            throw new IllegalStateException("the JDK's PKIX trust manager factory made no X509TrustManager");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a trust manager for " + subject(), e);
        }
    }

    /** Lowercase hex of the SHA-256 digest of the certificate's DER encoding, 64 characters. */
    public String sha256Fingerprint() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot fingerprint " + subject(), e);
        }
    }

    /**
     * Lowercase hex of the SHA-256 digest of the certificate's SubjectPublicKeyInfo (the DER of its
     * public key), 64 characters: what {@code pinPublicKey} takes.
     */
    public String publicKeySha256() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(certificate.getPublicKey().getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot digest the public key of " + subject(), e);
        }
    }

    /**
     * Writes {@code cert.pem} (one {@code CERTIFICATE}) and {@code key.pem} (unencrypted PKCS#8,
     * {@code PRIVATE KEY}) into {@code dir}, creating it if needed.
     *
     * @return {@code dir}
     * @throws UncheckedIOException if the files cannot be written
     */
    public Path writePem(Path dir) {
        Objects.requireNonNull(dir, "dir");
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("cert.pem"), pem("CERTIFICATE", certificate.getEncoded()),
                    StandardCharsets.US_ASCII);
            Files.writeString(dir.resolve("key.pem"), pem("PRIVATE KEY", privateKey.getEncoded()),
                    StandardCharsets.US_ASCII);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write PEM files into " + dir, e);
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("cannot encode " + subject(), e);
        }
    }

    private String subject() {
        return certificate.getSubjectX500Principal().getName();
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    @Override
    public String toString() {
        return "TestCertificate[" + subject() + ", sha256=" + sha256Fingerprint() + "]";
    }
}
