// SPDX-License-Identifier: Apache-2.0
package quicpool.examples;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway self-signed EC certificate for {@code localhost}, made with the JDK's own
 * {@code keytool} so the demo needs nothing installed. Never use it beyond loopback.
 */
public final class DemoCertificate {
    /** The key entry's alias in {@link #keyStore}. */
    public static final String ALIAS = "demo";
    /** The key store's and the key entry's password. */
    public static final char[] PASSWORD = "quicpool-demo".toCharArray();

    /** A PKCS12 key store holding the key entry {@link #ALIAS}. */
    public final KeyStore keyStore;
    /** The self-signed certificate, for a client to pin. */
    public final X509Certificate certificate;

    private DemoCertificate(KeyStore keyStore) throws GeneralSecurityException {
        this.keyStore = keyStore;
        this.certificate = (X509Certificate) keyStore.getCertificate(ALIAS);
    }

    /** Runs {@code keytool} to make a fresh key pair and certificate (a second or two). */
    public static DemoCertificate create() throws IOException, InterruptedException, GeneralSecurityException {
        Path dir = Files.createTempDirectory("quicpool-demo");
        Path file = dir.resolve("demo.p12");
        try {
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            Process p = new ProcessBuilder(List.of(keytool, "-genkeypair", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-alias", ALIAS, "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                    "-validity", "2", "-storetype", "PKCS12", "-keystore", file.toString(),
                    "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD)))
                    .redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException("keytool could not make the demo certificate: " + output);
            }
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(file)) {
                ks.load(in, PASSWORD);
            }
            return new DemoCertificate(ks);
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    /** The certificate's SHA-256 fingerprint, colon-separated hex: what a client passes to {@code pinFingerprint}. */
    public String fingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
