// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.netty;

import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import quicpool.api.spi.ListenSpec;

/** Builds a listener's TLS context from the key entry named in its {@link ListenSpec}. */
final class ServerSslContexts {

    private ServerSslContexts() {
    }

    static QuicSslContext forListen(ListenSpec spec) throws IOException {
        KeyStore store = spec.keyStore();
        String alias = spec.keyAlias();
        PrivateKey key;
        X509Certificate[] chain;
        try {
            if (!store.isKeyEntry(alias)) {
                throw new IOException("the key store has no key entry named \"" + alias
                        + "\"; expected the alias of the server's private key and certificate chain");
            }
            Key k = store.getKey(alias, spec.keyPassword());
            if (!(k instanceof PrivateKey)) {
                throw new IOException("the key entry \"" + alias + "\" holds no private key (found "
                        + (k == null ? "nothing" : k.getAlgorithm() + " secret key") + ")");
            }
            key = (PrivateKey) k;
            chain = x509Chain(alias, store.getCertificateChain(alias));
        } catch (UnrecoverableKeyException e) {
            throw new IOException("the key password does not unlock the key entry \"" + alias + "\"", e);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the key entry \"" + alias + "\": " + e.getMessage(), e);
        }
        // The key is already decrypted by the key store: no PKCS#8 password is needed.
        return QuicSslContextBuilder.forServer(key, null, chain)
                .applicationProtocols(spec.settings().applicationProtocol())
                .build();
    }

    private static X509Certificate[] x509Chain(String alias, Certificate[] chain) throws IOException {
        if (chain == null || chain.length == 0) {
            throw new IOException("the key entry \"" + alias + "\" has no certificate chain");
        }
        X509Certificate[] out = new X509Certificate[chain.length];
        for (int i = 0; i < chain.length; i++) {
            if (!(chain[i] instanceof X509Certificate)) {
                throw new IOException("certificate " + i + " of the key entry \"" + alias
                        + "\" is a " + chain[i].getType() + " certificate; expected X.509");
            }
            out[i] = (X509Certificate) chain[i];
        }
        return out;
    }
}
