// SPDX-License-Identifier: Apache-2.0
package quicpool.testkit;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Makes fresh EC P-256 certificates ({@code SHA256withECDSA}) for tests: self-signed, or issued by a
 * test authority ({@link #createAuthority}, {@link #issue}). Every server
 * certificate also carries the IP SAN {@code 127.0.0.1}. Nothing is written to disk unless asked
 * ({@link TestCertificate#writePem}); no private key is ever committed.
 *
 * <p>Uses only the JDK's security providers at run time; BouncyCastle only builds the certificate.
 */
public final class TestCertificates {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration VALIDITY = Duration.ofDays(1);
    private static final Duration BACKDATE = Duration.ofHours(1);

    private TestCertificates() {
    }

    /**
     * A certificate valid from one hour ago for one day.
     *
     * @param commonName the subject's CN, such as {@code "localhost"}
     * @param dnsSans    DNS subject alternative names; IP SAN {@code 127.0.0.1} is always added
     */
    public static TestCertificate create(String commonName, String... dnsSans) {
        Instant now = Instant.now();
        return build(commonName, dnsSans, now.minus(BACKDATE), now.plus(VALIDITY));
    }

    /** CN=localhost, DNS SAN localhost, IP SAN 127.0.0.1; one instance per JVM. */
    public static TestCertificate localhost() {
        return Localhost.INSTANCE;
    }

    /**
     * A certificate that expired one day ago (valid for one hour two days ago), otherwise like
     * {@link #create(String, String...)}. Its {@code checkValidity()} fails. Beware: the JDK's
     * PKIX trust manager does not check the validity of a trust anchor, so a trust store holding
     * this very certificate still accepts it; a pinning trust manager must check validity itself.
     */
    public static TestCertificate createExpired(String commonName, String... dnsSans) {
        Instant now = Instant.now();
        return build(commonName, dnsSans, now.minus(Duration.ofDays(2)), now.minus(Duration.ofDays(1)));
    }

    /**
     * A certificate valid only in the given window, otherwise like {@link #create(String,
     * String...)}.
     *
     * @throws IllegalArgumentException if {@code notAfter} is not after {@code notBefore}
     */
    public static TestCertificate createValidBetween(Instant notBefore, Instant notAfter, String commonName,
                                                     String... dnsSans) {
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(notAfter, "notAfter");
        if (!notAfter.isAfter(notBefore)) {
            throw new IllegalArgumentException("notAfter " + notAfter + " must be after notBefore " + notBefore);
        }
        return build(commonName, dnsSans, notBefore, notAfter);
    }

    /**
     * A certificate authority for tests of verified mode: self-signed, {@code CA:true}, allowed to
     * sign certificates, valid from one hour ago for one day. Give the client its {@link
     * TestCertificate#trustStore()} and the server a certificate from {@link #issue}.
     */
    public static TestCertificate createAuthority(String commonName) {
        Instant now = Instant.now();
        return build(commonName, new String[0], now.minus(BACKDATE), now.plus(VALIDITY), Kind.AUTHORITY, null);
    }

    /**
     * A server certificate signed by {@code authority}, valid only in the given window (in the past
     * for an expired certificate, in the future for one not yet valid), otherwise like {@link
     * #create(String, String...)}. Its {@link TestCertificate#keyStore()} holds it alone: a client
     * that trusts the authority validates it without the authority in the chain.
     *
     * @throws IllegalArgumentException if {@code notAfter} is not after {@code notBefore}, or
     *                                  {@code authority} is not a CA certificate
     */
    public static TestCertificate issue(TestCertificate authority, Instant notBefore, Instant notAfter,
                                        String commonName, String... dnsSans) {
        Objects.requireNonNull(authority, "authority");
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(notAfter, "notAfter");
        if (authority.certificate().getBasicConstraints() < 0) {
            throw new IllegalArgumentException("authority must be a CA certificate (see createAuthority), was "
                    + authority.certificate().getSubjectX500Principal().getName());
        }
        if (!notAfter.isAfter(notBefore)) {
            throw new IllegalArgumentException("notAfter " + notAfter + " must be after notBefore " + notBefore);
        }
        return build(commonName, dnsSans, notBefore, notAfter, Kind.ISSUED, authority);
    }

    /**
     * A new self-signed certificate for the key pair of {@code original}, valid only in the given
     * window, otherwise like {@link #create(String, String...)}: what a renewal that keeps the key
     * gives. Its DER encoding (and so its fingerprint) differs from the original's; its public key
     * is the same.
     *
     * @throws IllegalArgumentException if {@code notAfter} is not after {@code notBefore}
     */
    public static TestCertificate renew(TestCertificate original, Instant notBefore, Instant notAfter,
                                        String commonName, String... dnsSans) {
        Objects.requireNonNull(original, "original");
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(notAfter, "notAfter");
        if (!notAfter.isAfter(notBefore)) {
            throw new IllegalArgumentException("notAfter " + notAfter + " must be after notBefore " + notBefore);
        }
        KeyPair keys = new KeyPair(original.certificate().getPublicKey(), original.privateKey());
        return build(commonName, dnsSans, notBefore, notAfter, Kind.SELF_SIGNED, null, keys);
    }

    private enum Kind { SELF_SIGNED, AUTHORITY, ISSUED }

    private static TestCertificate build(String commonName, String[] dnsSans, Instant notBefore, Instant notAfter) {
        return build(commonName, dnsSans, notBefore, notAfter, Kind.SELF_SIGNED, null);
    }

    /** @param issuer the signing authority of an {@link Kind#ISSUED} certificate, else null */
    private static TestCertificate build(String commonName, String[] dnsSans, Instant notBefore, Instant notAfter,
                                         Kind kind, TestCertificate issuer) {
        return build(commonName, dnsSans, notBefore, notAfter, kind, issuer, null);
    }

    /** @param given the key pair to certify, or null for a fresh one */
    private static TestCertificate build(String commonName, String[] dnsSans, Instant notBefore, Instant notAfter,
                                         Kind kind, TestCertificate issuer, KeyPair given) {
        Objects.requireNonNull(commonName, "commonName");
        Objects.requireNonNull(dnsSans, "dnsSans");
        if (commonName.isBlank()) {
            throw new IllegalArgumentException("commonName must not be blank, was \"" + commonName + "\"");
        }
        try {
            KeyPair keys = given;
            if (keys == null) {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
                keys = generator.generateKeyPair();
            }

            X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
            X500Name issuerName = kind == Kind.ISSUED
                    ? X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded())
                    : subject;
            BigInteger serial = new BigInteger(64, RANDOM).add(BigInteger.ONE);
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName, serial,
                    Date.from(notBefore), Date.from(notAfter), subject, keys.getPublic());

            if (kind == Kind.AUTHORITY) {
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
                builder.addExtension(Extension.keyUsage, true,
                        new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
            } else {
                List<GeneralName> sans = new ArrayList<>();
                for (String dns : dnsSans) {
                    if (dns == null || dns.isBlank()) {
                        throw new IllegalArgumentException("DNS SAN must be a non-blank name, was " + dns);
                    }
                    sans.add(new GeneralName(GeneralName.dNSName, dns));
                }
                sans.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(sans.toArray(GeneralName[]::new)));
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            }

            PrivateKey signingKey = kind == Kind.ISSUED ? issuer.privateKey() : keys.getPrivate();
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(signingKey);
            X509CertificateHolder holder = builder.build(signer);
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(holder);
            return new TestCertificate(certificate, keys.getPrivate());
        } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
            throw new IllegalStateException("cannot create a test certificate for CN=" + commonName, e);
        }
    }

    /** Lazily created on first use, shared by the whole JVM. */
    private static final class Localhost {
        static final TestCertificate INSTANCE = create("localhost", "localhost");
    }
}
