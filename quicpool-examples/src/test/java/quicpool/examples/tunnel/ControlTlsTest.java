// SPDX-License-Identifier: Apache-2.0
package quicpool.examples.tunnel;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import quicpool.testkit.TestCertificate;
import quicpool.testkit.TestCertificates;

/** The control channel judges the server as the pool does: a public-key pin survives a renewal, a certificate pin does not. */
@Timeout(10)
class ControlTlsTest {
    private static final TestCertificate ORIGINAL = TunnelFixture.CERT;

    @Test
    void aPublicKeyPinAcceptsACertificateRenewedWithTheSameKeyWhereACertificatePinRefusesIt() throws Exception {
        TestCertificate renewed = TestCertificates.renew(ORIGINAL, Instant.now().minus(Duration.ofHours(1)),
                Instant.now().plus(Duration.ofDays(30)), "localhost", "localhost");
        X509Certificate[] chain = {renewed.certificate()};

        assertThatCode(() -> ControlTls.pinnedKey(ControlTls.publicKeyDigest(ORIGINAL.certificate()))
                .checkServerTrusted(chain, "EC")).doesNotThrowAnyException();
        assertThatThrownBy(() -> ControlTls.pinned(ControlTls.fingerprint(ORIGINAL.certificate()))
                .checkServerTrusted(chain, "EC"))
                .isInstanceOf(CertificateException.class).hasMessageContaining("not the pinned");
    }

    @Test
    void aPublicKeyPinRefusesAnotherKey() throws Exception {
        X509Certificate[] other = {TestCertificates.create("localhost", "localhost").certificate()};

        assertThatThrownBy(() -> ControlTls.pinnedKey(ControlTls.publicKeyDigest(ORIGINAL.certificate()))
                .checkServerTrusted(other, "EC"))
                .isInstanceOf(CertificateException.class).hasMessageContaining("public key has SHA-256");
    }

    @Test
    void aPinThatIsNotASha256DigestIsNamed() {
        assertThatThrownBy(() -> ControlTls.pinnedKey("12zz"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"12zz\"").hasMessageContaining("64 hex");
    }
}
