// SPDX-License-Identifier: Apache-2.0
package quicpool.core.tls;

import java.net.IDN;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.X509TrustManager;

/**
 * {@link quicpool.api.TlsMode#VERIFIED}: the chain must pass PKIX validation against the trust
 * anchors, the leaf must be within its validity period (checked here too: PKIX skips it for a
 * leaf that is itself a trust anchor), and the leaf must name the host: a DNS subject alternative
 * name (one leading wildcard label allowed) for a host name, an IP subject alternative name for
 * an IP literal.
 */
final class HostnameTrustManager implements X509TrustManager {
    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;
    private static final String TLS13_AUTH_TYPE = "UNKNOWN";

    private final X509TrustManager pkix;
    private final String host;

    HostnameTrustManager(X509TrustManager pkix, String host) {
        this.pkix = pkix;
        this.host = host;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("server sent no certificate");
        }
        Validity.check(chain[0]); // before PKIX: clearer, and PKIX skips it when the leaf is an anchor
        // QUIC is TLS 1.3 only, which has no key-exchange "auth type"; stacks pass what they like
        // ("EC", "RSA", "ECDHE_ECDSA"), and the JDK's PKIX check of a CA-issued leaf refuses some
        // ("Unknown authType: EC") or demands key usages TLS 1.3 does not need. The JDK's own TLS 1.3
        // code passes "UNKNOWN".
        pkix.checkServerTrusted(chain, TLS13_AUTH_TYPE);
        checkHost(chain[0], host);
    }

    static void checkHost(X509Certificate leaf, String host) throws CertificateException {
        boolean ip = isIpLiteral(host);
        List<String> names = new ArrayList<>();
        Collection<List<?>> sans;
        try {
            sans = leaf.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            throw new CertificateException("cannot read the certificate's subject alternative names", e);
        }
        if (sans != null) {
            for (List<?> san : sans) {
                int type = (Integer) san.get(0);
                String value = String.valueOf(san.get(1));
                if (ip && type == SAN_IP && sameAddress(value, host)) {
                    return;
                }
                if (!ip && type == SAN_DNS && dnsMatches(value, host)) {
                    return;
                }
                if (type == (ip ? SAN_IP : SAN_DNS)) {
                    names.add(value);
                }
            }
        }
        throw new CertificateException("server certificate does not match hostname \"" + host + "\": its "
                + (ip ? "IP" : "DNS") + " names are " + names);
    }

    private static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    private static boolean sameAddress(String a, String b) {
        try {
            return InetAddress.getByName(a).equals(InetAddress.getByName(b));
        } catch (UnknownHostException e) {
            return false;
        }
    }

    static boolean dnsMatches(String pattern, String host) {
        String p = IDN.toASCII(pattern).toLowerCase(Locale.ROOT);
        String h = IDN.toASCII(host).toLowerCase(Locale.ROOT);
        if (p.endsWith(".")) {
            p = p.substring(0, p.length() - 1);
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        if (p.startsWith("*.")) {
            int dot = h.indexOf('.');
            return dot > 0 && h.substring(dot).equals(p.substring(1)) && p.indexOf('.', 2) > 0;
        }
        return p.equals(h);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a client pool does not accept client certificates");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return pkix.getAcceptedIssuers();
    }
}
