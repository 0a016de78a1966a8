package quicpool.examples;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway self-signed EC certificate for {@code localhost}, made with the JDK's own
 * {@code keytool} so the demo needs nothing installed. Never use it beyond loopback.
 */
final class DemoCertificate {
    static final String ALIAS = "demo";
    static final char[] PASSWORD = "quicpool-demo".toCharArray();

    final KeyStore keyStore;
    final X509Certificate certificate;

    private DemoCertificate(KeyStore keyStore) throws GeneralSecurityException {
        this.keyStore = keyStore;
        this.certificate = (X509Certificate) keyStore.getCertificate(ALIAS);
    }

    static DemoCertificate create() throws IOException, InterruptedException, GeneralSecurityException {
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
}
