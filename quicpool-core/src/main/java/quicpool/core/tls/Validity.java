// SPDX-License-Identifier: Apache-2.0
package quicpool.core.tls;

import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.Date;

/**
 * The validity period check of the server's leaf certificate, with a message a user can act on.
 *
 * <p>Pinned and verified modes both run it themselves: the JDK's PKIX trust manager does not check
 * the validity of a certificate that is itself a trust anchor, so a verified client trusting a
 * self-signed server certificate would otherwise accept it long after it expired.
 */
final class Validity {
    private Validity() {
    }

    static void check(X509Certificate leaf) throws CertificateExpiredException, CertificateNotYetValidException {
        Date now = new Date();
        if (now.after(leaf.getNotAfter())) {
            throw new CertificateExpiredException("server certificate expired: valid until "
                    + leaf.getNotAfter().toInstant() + ", now " + now.toInstant() + " (subject "
                    + leaf.getSubjectX500Principal().getName() + ")");
        }
        if (now.before(leaf.getNotBefore())) {
            throw new CertificateNotYetValidException("server certificate is not yet valid: valid from "
                    + leaf.getNotBefore().toInstant() + ", now " + now.toInstant() + " (subject "
                    + leaf.getSubjectX500Principal().getName() + ")");
        }
    }
}
