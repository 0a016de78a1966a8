// SPDX-License-Identifier: Apache-2.0
package quicpool.api.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads PEM certificates and PKCS#8 keys with the JDK alone. */
public final class Pem {
    private static final Pattern KEY = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

    private Pem() {
    }

    /** Every certificate in the file, in order. */
    public static List<X509Certificate> readCertificates(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        try {
            List<X509Certificate> certs = new ArrayList<>();
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes))) {
                certs.add((X509Certificate) c);
            }
            if (certs.isEmpty()) {
                throw new IllegalArgumentException(file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
            }
            return certs;
        } catch (CertificateException e) {
            throw new IllegalArgumentException(file + " holds no readable PEM certificate: " + e.getMessage(), e);
        }
    }

    /** The PKCS#8 private key in the file, EC or RSA. */
    public static PrivateKey readPrivateKey(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        Matcher m = KEY.matcher(text);
        if (!m.find()) {
            throw new IllegalArgumentException(file + " holds no PKCS#8 private key (-----BEGIN PRIVATE KEY-----);"
                    + " convert with: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem");
        }
        byte[] der = Base64.getMimeDecoder().decode(m.group(1));
        for (String algorithm : new String[] {"EC", "RSA", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException(file + " holds a private key that is not EC, RSA or Ed25519");
    }

    /** A PKCS#12 key store in memory with one key entry made of the two files. */
    public static KeyStore keyStore(Path chainPem, Path keyPem, String alias, char[] password) throws IOException {
        List<X509Certificate> chain = readCertificates(chainPem);
        PrivateKey key = readPrivateKey(keyPem);
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(alias, key, password, chain.toArray(new Certificate[0]));
            return ks;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the key in " + keyPem + " does not fit the certificate in " + chainPem
                    + ": " + e.getMessage(), e);
        }
    }
}
