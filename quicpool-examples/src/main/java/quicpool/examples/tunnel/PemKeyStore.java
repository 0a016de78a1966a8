// SPDX-License-Identifier: Apache-2.0
package quicpool.examples.tunnel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;

/**
 * The server's PEM certificate chain and PKCS#8 key as an in-memory key store, for the control
 * channel's TLS (the pool reads the same files itself).
 */
final class PemKeyStore {
    static final String ALIAS = "tunnel";
    static final char[] PASSWORD = new char[0];
    private static final String BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String END = "-----END PRIVATE KEY-----";

    private PemKeyStore() {
    }

    /**
     * @throws IllegalArgumentException naming the file if it holds no certificate, or no PKCS#8 key
     *                                  of a kind the JDK knows (EC, RSA, Ed25519)
     */
    static KeyStore load(Path certificateChain, Path privateKey) throws IOException, GeneralSecurityException {
        List<? extends Certificate> chain;
        try (InputStream in = Files.newInputStream(certificateChain)) {
            chain = List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException(certificateChain + " holds no PEM certificate");
        }
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(null, null);
        keyStore.setKeyEntry(ALIAS, key(privateKey), PASSWORD, chain.toArray(Certificate[]::new));
        return keyStore;
    }

    private static PrivateKey key(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException(file + " holds no PKCS#8 private key (" + BEGIN + ")");
        }
        byte[] der = Base64.getMimeDecoder().decode(text.substring(begin + BEGIN.length(), end));
        for (String algorithm : List.of("EC", "RSA", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException notThisKind) {
                // the next kind
            }
        }
        throw new IllegalArgumentException(file + " holds a private key that is not EC, RSA or Ed25519");
    }
}
