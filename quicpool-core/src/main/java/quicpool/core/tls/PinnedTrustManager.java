// SPDX-License-Identifier: Apache-2.0
package quicpool.core.tls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.X509TrustManager;

/**
 * {@link quicpool.api.TlsMode#SELF_SIGNED}: the server's leaf certificate must match a pin and be
 * within its validity period. A certificate pin is the SHA-256 of the leaf's DER encoding; a
 * public-key pin is the SHA-256 of the leaf's SubjectPublicKeyInfo (DER), so it still matches a
 * certificate renewed with the same key. Any one pin matching is enough. Only the leaf counts: no
 * chain is checked in this mode, so another certificate of the chain proves nothing.
 */
final class PinnedTrustManager implements X509TrustManager {
    private final List<byte[]> certificatePins;
    private final List<byte[]> publicKeyPins;

    /**
     * @param certificatePins SHA-256 digests of DER certificates, 64 hex digits each
     * @param publicKeyPins   SHA-256 digests of DER SubjectPublicKeyInfo, 64 hex digits each
     * @throws IllegalArgumentException if there is no pin at all, or one is not a SHA-256 digest in hex
     */
    PinnedTrustManager(List<String> certificatePins, List<String> publicKeyPins) {
        this.certificatePins = parse(certificatePins);
        this.publicKeyPins = parse(publicKeyPins);
        if (this.certificatePins.isEmpty() && this.publicKeyPins.isEmpty()) {
            throw new IllegalArgumentException("TLS mode SELF_SIGNED needs a pin: no certificate and no public key"
                    + " is pinned");
        }
    }

    private static List<byte[]> parse(List<String> hexDigests) {
        List<byte[]> digests = new ArrayList<>(hexDigests.size());
        for (String hex : hexDigests) {
            byte[] d = HexFormat.of().parseHex(hex);
            if (d.length != 32) {
                throw new IllegalArgumentException("a pin must be a SHA-256 digest, 64 hex digits, was \"" + hex + "\"");
            }
            digests.add(d);
        }
        return digests;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("server sent no certificate; a pinned one was expected");
        }
        X509Certificate leaf = chain[0];
        byte[] certificateDigest = sha256(leaf.getEncoded());
        byte[] publicKeyDigest = sha256(leaf.getPublicKey().getEncoded());
        if (!anyEqual(certificatePins, certificateDigest) && !anyEqual(publicKeyPins, publicKeyDigest)) {
            List<String> why = new ArrayList<>(2);
            if (!certificatePins.isEmpty()) {
                why.add("server certificate does not match the pinned one" + (certificatePins.size() > 1 ? "s" : "")
                        + ": SHA-256 " + hex(certificateDigest) + ", pinned " + hex(certificatePins));
            }
            if (!publicKeyPins.isEmpty()) {
                why.add("server certificate's public key does not match the pinned one"
                        + (publicKeyPins.size() > 1 ? "s" : "") + ": SubjectPublicKeyInfo SHA-256 "
                        + hex(publicKeyDigest) + ", pinned " + hex(publicKeyPins));
            }
            throw new CertificateException(String.join("; ", why) + " (subject "
                    + leaf.getSubjectX500Principal().getName() + ")");
        }
        Validity.check(leaf);
    }

    private static boolean anyEqual(List<byte[]> pins, byte[] digest) {
        for (byte[] pin : pins) {
            if (MessageDigest.isEqual(pin, digest)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a client pool does not accept client certificates");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return TrustManagers.NO_ISSUERS;
    }

    static byte[] sha256(byte[] der) throws CertificateException {
        try {
            return MessageDigest.getInstance("SHA-256").digest(der);
        } catch (NoSuchAlgorithmException e) {
            throw new CertificateException(e);
        }
    }

    private static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }

    private static String hex(List<byte[]> digests) {
        List<String> all = new ArrayList<>(digests.size());
        for (byte[] d : digests) {
            all.add(hex(d));
        }
        return String.join(", ", all);
    }

    @Override
    public String toString() {
        return "pinned: " + certificatePins.size() + " certificate(s), " + publicKeyPins.size() + " public key(s)";
    }
}
