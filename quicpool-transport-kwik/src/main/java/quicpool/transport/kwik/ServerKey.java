// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import quicpool.api.spi.ListenSpec;

/**
 * Checks a listener's key entry before Kwik sees it and names the EC curve Kwik asks for.
 *
 * <p>Kwik reports a bad entry late (a null key fails only in the first handshake) or after it has
 * started a thread it then never stops (an unsupported curve), so the checks come first.
 */
final class ServerKey {

    private ServerKey() {
    }

    /**
     * @return the curve name Kwik takes for an EC key ("secp256r1", "secp384r1", "secp521r1"), or
     *         null for an RSA key
     * @throws IOException naming what is wrong with the entry
     */
    static String check(ListenSpec spec) throws IOException {
        KeyStore store = spec.keyStore();
        String alias = spec.keyAlias();
        Certificate[] chain;
        Key key;
        try {
            if (!store.containsAlias(alias)) {
                throw new IOException("the key store has no entry \"" + alias + "\"");
            }
            chain = store.getCertificateChain(alias);
            key = store.getKey(alias, spec.keyPassword());
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read key entry \"" + alias + "\": " + e.getMessage(), e);
        }
        if (!(key instanceof PrivateKey)) {
            throw new IOException("key store entry \"" + alias + "\" must hold a private key, holds "
                    + (key == null ? "none" : key.getClass().getSimpleName()));
        }
        if (chain == null || chain.length == 0 || !(chain[0] instanceof X509Certificate)) {
            throw new IOException("key store entry \"" + alias + "\" must hold an X.509 certificate chain");
        }
        X509Certificate leaf = (X509Certificate) chain[0];
        if (leaf.getPublicKey() instanceof RSAPublicKey) {
            return null;
        }
        if (leaf.getPublicKey() instanceof ECPublicKey) {
            int bits = ((ECPublicKey) leaf.getPublicKey()).getParams().getOrder().bitLength();
            switch (bits) {
                case 256:
                    return "secp256r1";
                case 384:
                    return "secp384r1";
                case 521:
                    return "secp521r1";
                default:
                    throw new IOException("the EC key of entry \"" + alias + "\" has " + bits
                            + " bits; Kwik supports P-256, P-384 and P-521");
            }
        }
        throw new IOException("the key of entry \"" + alias + "\" is " + leaf.getPublicKey().getAlgorithm()
                + "; Kwik supports RSA and EC (P-256, P-384, P-521)");
    }
}
