// SPDX-License-Identifier: Apache-2.0
package quicpool.examples.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The server's PEM files become the control channel's key, the same as the pool's. */
@Timeout(10)
class PemKeyStoreTest {

    @Test
    void thePemCertificateAndKeyBecomeOneKeyEntryAndAClientPinsTheSameFingerprint(@TempDir Path dir) throws Exception {
        TunnelFixture.CERT.writePem(dir);
        KeyStore keyStore = PemKeyStore.load(dir.resolve("cert.pem"), dir.resolve("key.pem"));

        assertThat(keyStore.getCertificate(PemKeyStore.ALIAS)).isEqualTo(TunnelFixture.CERT.certificate());
        assertThat(keyStore.getKey(PemKeyStore.ALIAS, PemKeyStore.PASSWORD).getEncoded())
                .isEqualTo(TunnelFixture.CERT.keyStore().getKey(TunnelFixture.CERT.alias(), TunnelFixture.CERT.password())
                        .getEncoded());
        assertThat(ControlTls.fingerprint(dir.resolve("cert.pem")))
                .isEqualTo(ControlTls.fingerprint(TunnelFixture.CERT.certificate()));
    }

    @Test
    void aKeyFileWithoutAPkcs8KeyIsNamed(@TempDir Path dir) throws Exception {
        TunnelFixture.CERT.writePem(dir);
        Path notAKey = Files.writeString(dir.resolve("not-a-key.pem"), "hello", StandardCharsets.US_ASCII);

        assertThatThrownBy(() -> PemKeyStore.load(dir.resolve("cert.pem"), notAKey))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(notAKey.toString()).hasMessageContaining("-----BEGIN PRIVATE KEY-----");
    }
}
