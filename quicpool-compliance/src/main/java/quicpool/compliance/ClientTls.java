// SPDX-License-Identifier: Apache-2.0
package quicpool.compliance;

import java.time.Duration;
import java.time.Instant;
import quicpool.api.ClientPoolBuilder;
import quicpool.testkit.TestCertificate;
import quicpool.testkit.TestCertificates;

/**
 * The ways a client pool can judge the server's certificate, and the outcome each must give for
 * the server certificates of {@link TransportBadInputKit}'s TLS test. The client always dials
 * {@code localhost}.
 */
enum ClientTls {
    /** {@code insecure()}: accepts anything, by definition. */
    INSECURE,
    /** {@code pinCertificate(the server's certificate)}. */
    PINNED_CERTIFICATE,
    /** {@code pinFingerprint(the server's certificate's SHA-256)}. */
    PINNED_FINGERPRINT,
    /**
     * {@code pinPublicKey(a certificate renewed from the server's)}: another certificate (other
     * name, period and fingerprint) for the same key, as after a renewal that keeps the key.
     */
    PINNED_PUBLIC_KEY,
    /** {@code verify(a trust store holding the authority that issued the server's certificate)}. */
    VERIFIED_BY_AUTHORITY,
    /** {@code verify(a trust store holding the server's certificate itself)}: it is its own anchor. */
    VERIFIED_TRUSTING_ITSELF;

    /** What is wrong with the server's certificate, if anything. */
    enum ServerCertificate {
        VALID, EXPIRED, NOT_YET_VALID, OTHER_HOST
    }

    /** Makes this TLS choice on a builder that has made none. */
    ClientPoolBuilder apply(ClientPoolBuilder b, TestCertificate server, TestCertificate authority) {
        switch (this) {
            case INSECURE:
                return b.insecure();
            case PINNED_CERTIFICATE:
                return b.pinCertificate(server.certificate());
            case PINNED_FINGERPRINT:
                return b.pinFingerprint(server.sha256Fingerprint());
            case PINNED_PUBLIC_KEY:
                Instant now = Instant.now();
                return b.pinPublicKey(TestCertificates.renew(server, now.minus(Duration.ofMinutes(1)),
                        now.plus(Duration.ofDays(30)), "renewed", "renewed.example").certificate());
            case VERIFIED_BY_AUTHORITY:
                return b.verify(authority.trustStore());
            case VERIFIED_TRUSTING_ITSELF:
                return b.verify(server.trustStore());
            default:
                throw new AssertionError(this);
        }
    }

    /**
     * Null when the connection must be accepted, else a phrase the refusal's message must hold.
     *
     * <p>The decisions: insecure accepts everything. A pin names the exact certificate (or key), so
     * the hostname adds nothing (another host's certificate that is pinned is accepted), but the
     * pinned certificate's validity period still holds (that of the certificate served, for a
     * public-key pin): a demanding user pins a key for as long as its
     * certificate says, and an expired pinned certificate is a rotation that is overdue, refused
     * like in verified mode. Verified refuses expiry, not-yet-valid and a hostname mismatch, also
     * when the certificate is its own trust anchor (the JDK's PKIX check alone would let an expired
     * anchor through).
     */
    String refusal(ServerCertificate cert) {
        if (this == INSECURE || cert == ServerCertificate.VALID) {
            return null;
        }
        switch (cert) {
            case EXPIRED:
                return "server certificate expired";
            case NOT_YET_VALID:
                return "server certificate is not yet valid";
            case OTHER_HOST:
                return pinned() ? null : "does not match hostname \"localhost\"";
            default:
                throw new AssertionError(cert);
        }
    }

    private boolean pinned() {
        return this == PINNED_CERTIFICATE || this == PINNED_FINGERPRINT || this == PINNED_PUBLIC_KEY;
    }
}
