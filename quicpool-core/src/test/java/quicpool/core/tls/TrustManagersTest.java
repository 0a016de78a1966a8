// SPDX-License-Identifier: Apache-2.0
package quicpool.core.tls;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import quicpool.api.ClientPoolBuilder;
import quicpool.api.QuicPools;
import quicpool.api.TlsMode;
import quicpool.api.internal.BuilderConfigs;
import quicpool.api.internal.ClientPoolConfig;
import quicpool.testkit.TestCertificate;
import quicpool.testkit.TestCertificates;

/** Each TLS mode accepts what it must and refuses what it must, saying why. */
@Timeout(30)
class TrustManagersTest {
    private static final TestCertificate LOCALHOST = TestCertificates.localhost();
    private static final TestCertificate OTHER = TestCertificates.create("other", "other.example");

    private static X509TrustManager tm(ClientPoolBuilder b, String host) {
        return TrustManagers.forConfig(BuilderConfigs.client(b.serverAddress(new InetSocketAddress("127.0.0.1", 1))),
                host);
    }

    private static X509Certificate[] chain(TestCertificate c) {
        return new X509Certificate[] {c.certificate()};
    }

    @Test
    void insecureAcceptsAnything() {
        assertThatCode(() -> tm(QuicPools.client().insecure(), "x").checkServerTrusted(chain(OTHER), "EC"))
                .doesNotThrowAnyException();
    }

    @Test
    void pinnedAcceptsOnlyThePinnedCertificateOrFingerprint() {
        X509TrustManager byCert = tm(QuicPools.client().pinCertificate(LOCALHOST.certificate()), "anything");
        X509TrustManager byPrint = tm(QuicPools.client().pinFingerprint(LOCALHOST.sha256Fingerprint()), "anything");
        assertThatCode(() -> byCert.checkServerTrusted(chain(LOCALHOST), "EC")).doesNotThrowAnyException();
        assertThatCode(() -> byPrint.checkServerTrusted(chain(LOCALHOST), "EC")).doesNotThrowAnyException();
        assertThatThrownBy(() -> byCert.checkServerTrusted(chain(OTHER), "EC"))
                .isInstanceOf(CertificateException.class)
                .hasMessageContaining("does not match the pinned one")
                .hasMessageContaining(OTHER.sha256Fingerprint());
        assertThatThrownBy(() -> byPrint.checkServerTrusted(chain(OTHER), "EC"))
                .hasMessageContaining("pinned " + LOCALHOST.sha256Fingerprint());
    }

    @Test
    void severalCertificatePinsAcceptAnyOfThem() {
        X509TrustManager tm = tm(QuicPools.client().pinCertificate(LOCALHOST.certificate())
                .pinFingerprint(OTHER.sha256Fingerprint()), "anything");
        assertThatCode(() -> tm.checkServerTrusted(chain(LOCALHOST), "EC")).doesNotThrowAnyException();
        assertThatCode(() -> tm.checkServerTrusted(chain(OTHER), "EC")).doesNotThrowAnyException();
        TestCertificate third = TestCertificates.create("third", "localhost");
        assertThatThrownBy(() -> tm.checkServerTrusted(chain(third), "EC"))
                .hasMessageContaining("does not match the pinned ones: SHA-256 " + third.sha256Fingerprint())
                .hasMessageContaining("pinned " + LOCALHOST.sha256Fingerprint() + ", " + OTHER.sha256Fingerprint());
    }

    @Test
    void publicKeyPinAcceptsACertificateRenewedWithTheSameKeyAndRefusesAnotherKey() {
        Instant now = Instant.now();
        TestCertificate renewed = TestCertificates.renew(LOCALHOST, now.minusSeconds(60), now.plusSeconds(86_400),
                "renewed", "renewed.example");
        X509TrustManager byHex = tm(QuicPools.client().pinPublicKey(LOCALHOST.publicKeySha256()), "localhost");
        X509TrustManager byCert = tm(QuicPools.client().pinPublicKey(renewed.certificate()), "localhost");
        for (X509TrustManager tm : new X509TrustManager[] {byHex, byCert}) {
            assertThatCode(() -> tm.checkServerTrusted(chain(LOCALHOST), "EC")).doesNotThrowAnyException();
            // another certificate (another fingerprint, name and period), the same key: still accepted
            assertThatCode(() -> tm.checkServerTrusted(chain(renewed), "EC")).doesNotThrowAnyException();
            assertThatThrownBy(() -> tm.checkServerTrusted(chain(OTHER), "EC"))
                    .isInstanceOf(CertificateException.class)
                    .hasMessage("server certificate's public key does not match the pinned one: SubjectPublicKeyInfo"
                            + " SHA-256 " + OTHER.publicKeySha256() + ", pinned " + LOCALHOST.publicKeySha256()
                            + " (subject CN=other)");
        }
        // a certificate pin of the original does not survive the renewal: that is the difference
        X509TrustManager certPin = tm(QuicPools.client().pinCertificate(LOCALHOST.certificate()), "localhost");
        assertThatThrownBy(() -> certPin.checkServerTrusted(chain(renewed), "EC"))
                .hasMessageContaining("does not match the pinned one");
    }

    @Test
    void publicKeyPinStillRefusesACertificateOutsideItsValidityPeriod() {
        Instant now = Instant.now();
        TestCertificate expired = TestCertificates.renew(LOCALHOST, now.minusSeconds(7200), now.minusSeconds(3600),
                "localhost", "localhost");
        X509TrustManager tm = tm(QuicPools.client().pinPublicKey(LOCALHOST.certificate()), "localhost");
        assertThatThrownBy(() -> tm.checkServerTrusted(chain(expired), "EC"))
                .isInstanceOf(java.security.cert.CertificateExpiredException.class)
                .hasMessageContaining("server certificate expired");
    }

    @Test
    void publicKeyPinLooksOnlyAtTheLeaf() {
        // the pinned key in the chain, but not the leaf's: refused (this mode checks no chain)
        X509TrustManager tm = tm(QuicPools.client().pinPublicKey(LOCALHOST.certificate()), "localhost");
        assertThatThrownBy(() -> tm.checkServerTrusted(
                new X509Certificate[] {OTHER.certificate(), LOCALHOST.certificate()}, "EC"))
                .hasMessageContaining("public key does not match the pinned one");
    }

    @Test
    void pinnedModeWithoutAPinIsRefusedAtDial() {
        ClientPoolConfig valid = BuilderConfigs.client(QuicPools.client()
                .serverAddress(new InetSocketAddress("127.0.0.1", 1)));
        ClientPoolConfig noPin = new ClientPoolConfig(valid.minCapacity(), valid.maxCapacity(), valid.minInterval(),
                valid.maxInterval(), valid.keepAlive(), valid.connectTimeout(), valid.handshakeTimeout(),
                TlsMode.SELF_SIGNED, List.of(), List.of(), null, null, valid.addressResolver(), valid.refillPolicy(),
                valid.leakDetectionThreshold(), valid.name(), valid.metrics(), valid.threadFactory());
        assertThatThrownBy(() -> TrustManagers.forConfig(noPin, "localhost"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a pin");
    }

    @Test
    void pinnedRefusesTheRightCertificateOnceExpired() {
        TestCertificate expired = TestCertificates.createExpired("localhost", "localhost");
        X509TrustManager tm = tm(QuicPools.client().pinCertificate(expired.certificate()), "localhost");
        assertThatThrownBy(() -> tm.checkServerTrusted(chain(expired), "EC"))
                .isInstanceOf(java.security.cert.CertificateExpiredException.class)
                .hasMessageContaining("server certificate expired");
    }

    @Test
    void verifiedChecksTheChainAndTheHostname() {
        X509TrustManager good = tm(QuicPools.client().verify(LOCALHOST.trustStore()), "localhost");
        assertThatCode(() -> good.checkServerTrusted(chain(LOCALHOST), "EC")).doesNotThrowAnyException();
        X509TrustManager byIp = tm(QuicPools.client().verify(LOCALHOST.trustStore()), "127.0.0.1");
        assertThatCode(() -> byIp.checkServerTrusted(chain(LOCALHOST), "EC")).doesNotThrowAnyException();

        X509TrustManager wrongHost = tm(QuicPools.client().verify(LOCALHOST.trustStore()), "example.com");
        assertThatThrownBy(() -> wrongHost.checkServerTrusted(chain(LOCALHOST), "EC"))
                .isInstanceOf(CertificateException.class)
                .hasMessageContaining("does not match hostname \"example.com\"")
                .hasMessageContaining("localhost");
        X509TrustManager untrusted = tm(QuicPools.client().verify(LOCALHOST.trustStore()), "other.example");
        assertThatThrownBy(() -> untrusted.checkServerTrusted(chain(OTHER), "EC"))
                .isInstanceOf(CertificateException.class);
    }

    @Test
    void verifiedRefusesAnExpiredCertificateEvenWhenItIsItselfTheTrustAnchor() {
        // The JDK's PKIX trust manager alone accepts this: it does not check an anchor's validity.
        TestCertificate expired = TestCertificates.createExpired("localhost", "localhost");
        X509TrustManager tm = tm(QuicPools.client().verify(expired.trustStore()), "localhost");
        assertThatThrownBy(() -> tm.checkServerTrusted(chain(expired), "EC"))
                .isInstanceOf(java.security.cert.CertificateExpiredException.class)
                .hasMessageContaining("server certificate expired: valid until")
                .hasMessageContaining("CN=localhost");
    }

    @Test
    void verifiedRefusesCertificatesOutsideTheirValidityPeriodSayingWhich() {
        TestCertificate ca = TestCertificates.createAuthority("Test CA");
        Instant now = Instant.now();
        TestCertificate expired = TestCertificates.issue(ca, now.minusSeconds(7200), now.minusSeconds(3600),
                "localhost", "localhost");
        TestCertificate future = TestCertificates.issue(ca, now.plusSeconds(3600), now.plusSeconds(7200),
                "localhost", "localhost");
        TestCertificate good = TestCertificates.issue(ca, now.minusSeconds(3600), now.plusSeconds(3600),
                "localhost", "localhost");
        X509TrustManager tm = tm(QuicPools.client().verify(ca.trustStore()), "localhost");
        assertThatCode(() -> tm.checkServerTrusted(chain(good), "UNKNOWN")).doesNotThrowAnyException();
        // whatever the QUIC stack calls the auth type: TLS 1.3 has none
        assertThatCode(() -> tm.checkServerTrusted(chain(good), "EC")).doesNotThrowAnyException();
        assertThatCode(() -> tm.checkServerTrusted(chain(good), "ECDHE_ECDSA")).doesNotThrowAnyException();
        assertThatCode(() -> tm.checkServerTrusted(chain(good), "RSA")).doesNotThrowAnyException();
        assertThatThrownBy(() -> tm.checkServerTrusted(chain(expired), "UNKNOWN"))
                .hasMessageContaining("server certificate expired");
        assertThatThrownBy(() -> tm.checkServerTrusted(chain(future), "UNKNOWN"))
                .isInstanceOf(java.security.cert.CertificateNotYetValidException.class)
                .hasMessageContaining("server certificate is not yet valid: valid from");
    }

    @Test
    void wildcardCoversExactlyOneLeftmostLabel() {
        org.assertj.core.api.Assertions.assertThat(HostnameTrustManager.dnsMatches("*.example.com", "a.example.com")).isTrue();
        org.assertj.core.api.Assertions.assertThat(HostnameTrustManager.dnsMatches("*.example.com", "a.b.example.com")).isFalse();
        org.assertj.core.api.Assertions.assertThat(HostnameTrustManager.dnsMatches("*.example.com", "example.com")).isFalse();
        org.assertj.core.api.Assertions.assertThat(HostnameTrustManager.dnsMatches("*.com", "example.com")).isFalse();
        org.assertj.core.api.Assertions.assertThat(HostnameTrustManager.dnsMatches("Example.COM.", "example.com")).isTrue();
    }
}
