// SPDX-License-Identifier: Apache-2.0
package quicpool.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TestCertificatesTest {

    @Test
    void localhostCertificateHasTheNamesClientsCheck() throws Exception {
        X509Certificate cert = TestCertificates.localhost().certificate();

        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
        assertThat(cert.getSubjectAlternativeNames())
                .containsExactlyInAnyOrder(List.of(2, "localhost"), List.of(7, "127.0.0.1"));
        assertThat(cert.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(cert.getSigAlgName()).isEqualTo("SHA256withECDSA");
        cert.checkValidity();
        cert.verify(cert.getPublicKey());
        assertThat(TestCertificates.localhost()).isSameAs(TestCertificates.localhost());
    }

    @Test
    void createMakesAFreshKeyEachTime() {
        TestCertificate a = TestCertificates.create("a.test", "a.test", "b.test");
        TestCertificate b = TestCertificates.create("a.test", "a.test", "b.test");

        assertThat(a.sha256Fingerprint()).isNotEqualTo(b.sha256Fingerprint());
        assertThat(a.privateKey()).isNotEqualTo(b.privateKey());
    }

    @Test
    void keyStoreServesAKeyManagerAndTrustStoreTrustsTheCertificate() throws Exception {
        TestCertificate tc = TestCertificates.create("server.test", "server.test");
        KeyStore ks = tc.keyStore();

        assertThat(ks.getType()).isEqualToIgnoringCase("PKCS12");
        assertThat(ks.getKey(tc.alias(), tc.password())).isEqualTo(tc.privateKey());
        assertThat(ks.getCertificateChain(tc.alias())).containsExactly(tc.certificate());
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, tc.password());
        assertThat(kmf.getKeyManagers()).isNotEmpty();

        KeyStore ts = tc.trustStore();
        assertThat(ts.isCertificateEntry(tc.alias())).isTrue();
        assertThat(ts.size()).isEqualTo(1);
        X509TrustManager tm = trustManager(ts);
        tm.checkServerTrusted(new X509Certificate[] {tc.certificate()}, "EC");
    }

    @Test
    void expiredCertificateFailsItsValidityCheck() throws Exception {
        TestCertificate tc = TestCertificates.createExpired("old.test", "old.test");

        assertThatThrownBy(() -> tc.certificate().checkValidity()).isInstanceOf(CertificateExpiredException.class);
        // Beware: the JDK's PKIX trust manager does not check the validity of a trust anchor, so a
        // trust store holding this very certificate still accepts it.
        trustManager(tc.trustStore()).checkServerTrusted(new X509Certificate[] {tc.certificate()}, "EC");
    }

    @Test
    void authorityIssuesCertificatesThatPkixValidatesOnlyWithinTheirWindow() throws Exception {
        TestCertificate ca = TestCertificates.createAuthority("Test CA");
        Instant now = Instant.now();
        TestCertificate good = TestCertificates.issue(ca, now.minusSeconds(3600), now.plusSeconds(3600),
                "localhost", "localhost");
        TestCertificate expired = TestCertificates.issue(ca, now.minusSeconds(7200), now.minusSeconds(3600),
                "localhost", "localhost");
        TestCertificate future = TestCertificates.issue(ca, now.plusSeconds(3600), now.plusSeconds(7200),
                "localhost", "localhost");

        assertThat(ca.certificate().getBasicConstraints()).isNotNegative();
        assertThat(good.certificate().getBasicConstraints()).isEqualTo(-1);
        assertThat(good.certificate().getIssuerX500Principal()).isEqualTo(ca.certificate().getSubjectX500Principal());
        good.certificate().verify(ca.certificate().getPublicKey());
        assertThat(good.keyStore().getCertificateChain(good.alias())).containsExactly(good.certificate());

        X509TrustManager tm = trustManager(ca.trustStore());
        tm.checkServerTrusted(new X509Certificate[] {good.certificate()}, "UNKNOWN");
        assertThatThrownBy(() -> tm.checkServerTrusted(new X509Certificate[] {expired.certificate()}, "UNKNOWN"))
                .isInstanceOf(CertificateException.class);
        assertThatThrownBy(() -> tm.checkServerTrusted(new X509Certificate[] {future.certificate()}, "UNKNOWN"))
                .isInstanceOf(CertificateException.class);
        assertThatThrownBy(() -> future.certificate().checkValidity())
                .isInstanceOf(CertificateNotYetValidException.class);
    }

    @Test
    void onlyAnAuthorityIssues() {
        Instant now = Instant.now();
        assertThatThrownBy(() -> TestCertificates.issue(TestCertificates.localhost(), now, now.plusSeconds(1), "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CA certificate")
                .hasMessageContaining("CN=localhost");
        TestCertificate ca = TestCertificates.createAuthority("Test CA");
        assertThatThrownBy(() -> TestCertificates.issue(ca, now, now, "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be after");
    }

    @Test
    void fingerprintIsLowercaseHexSha256OfTheDer() throws Exception {
        TestCertificate tc = TestCertificates.localhost();
        String expected = HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(tc.certificate().getEncoded()));

        assertThat(tc.sha256Fingerprint()).isEqualTo(expected).hasSize(64).matches("[0-9a-f]{64}");
    }

    @Test
    void renewKeepsTheKeyAndChangesTheCertificate() throws Exception {
        TestCertificate ca = TestCertificates.createAuthority("Test CA");
        Instant now = Instant.now();
        TestCertificate original = TestCertificates.issue(ca, now.minusSeconds(60), now.plusSeconds(3600),
                "localhost", "localhost");
        TestCertificate renewed = TestCertificates.renew(original, now.minusSeconds(30), now.plusSeconds(7200),
                "localhost", "localhost");

        assertThat(renewed.certificate().getPublicKey()).isEqualTo(original.certificate().getPublicKey());
        assertThat(renewed.privateKey()).isEqualTo(original.privateKey());
        assertThat(renewed.publicKeySha256()).isEqualTo(original.publicKeySha256()).matches("[0-9a-f]{64}");
        assertThat(renewed.sha256Fingerprint()).isNotEqualTo(original.sha256Fingerprint());
        renewed.certificate().verify(original.certificate().getPublicKey()); // self-signed with the same key
        assertThat(TestCertificates.localhost().publicKeySha256()).isNotEqualTo(original.publicKeySha256());
        assertThat(original.publicKeySha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(original.certificate().getPublicKey().getEncoded())));
    }

    @Test
    void pemFilesRoundTrip(@TempDir Path dir) throws Exception {
        TestCertificate tc = TestCertificates.localhost();
        Path out = tc.writePem(dir.resolve("pem"));

        String certText = Files.readString(out.resolve("cert.pem"), StandardCharsets.US_ASCII);
        String keyText = Files.readString(out.resolve("key.pem"), StandardCharsets.US_ASCII);
        assertThat(certText).startsWith("-----BEGIN CERTIFICATE-----\n").endsWith("-----END CERTIFICATE-----\n");
        assertThat(keyText).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");

        X509Certificate cert;
        try (InputStream in = Files.newInputStream(out.resolve("cert.pem"))) {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        assertThat(cert).isEqualTo(tc.certificate());

        String base64 = keyText.replace("-----BEGIN PRIVATE KEY-----", "")
                .replace("-----END PRIVATE KEY-----", "");
        PrivateKey key = KeyFactory.getInstance("EC")
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(base64)));
        assertThat(key).isEqualTo(tc.privateKey());

        // the key read back signs what the certificate's public key verifies
        byte[] data = "quicpool".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key);
        signer.update(data);
        byte[] sig = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(cert.getPublicKey());
        verifier.update(data);
        assertThat(verifier.verify(sig)).isTrue();
    }

    @Test
    void badNamesAreRefusedWithTheValue() {
        assertThatThrownBy(() -> TestCertificates.create(" "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("commonName");
        assertThatThrownBy(() -> TestCertificates.create("x", ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DNS SAN");
    }

    private static X509TrustManager trustManager(KeyStore trustStore) throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trustStore);
        return (X509TrustManager) tmf.getTrustManagers()[0];
    }
}
