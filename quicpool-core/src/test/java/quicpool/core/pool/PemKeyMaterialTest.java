// SPDX-License-Identifier: Apache-2.0
package quicpool.core.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import quicpool.api.ClientPool;
import quicpool.api.QuicPools;
import quicpool.api.ServerPool;
import quicpool.compliance.Conditions;
import quicpool.testkit.InMemoryNetwork;
import quicpool.testkit.InMemoryTransport;

/** A server configured from PEM files serves clients that pin the certificate file. */
@Timeout(30)
class PemKeyMaterialTest {

    @Test
    void serverFromPemFilesServesAClientPinningThePemCertificate(@TempDir Path dir) throws Exception {
        PoolPair.CERT.writePem(dir);
        InMemoryTransport t = new InMemoryTransport(new InMemoryNetwork());
        try (ServerPool server = QuicPools.server().listen(new InetSocketAddress("127.0.0.1", 0))
                .certificate(dir.resolve("cert.pem"), dir.resolve("key.pem")).transport(t).build()) {
            server.start();
            try (ClientPool client = QuicPools.client().serverAddress(server.localAddress()).hostname("localhost")
                    .pinCertificate(dir.resolve("cert.pem")).capacity(2, 2).transport(t).build()) {
                client.start();
                Conditions.await("filled", Duration.ofSeconds(10), () -> server.active() == 2 && client.active() == 2);
                assertThat(client.stats().opened()).isEqualTo(2);
            }
        }
    }

    @Test
    void unreadablePemFilesAreRefusedNamingTheFile(@TempDir Path dir) throws Exception {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "not a certificate");
        Path key = Files.writeString(dir.resolve("key.pem"), "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n");
        assertThatThrownBy(() -> QuicPools.server().certificate(cert, key))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(cert.toString());
        PoolPair.CERT.writePem(dir.resolve("ok"));
        assertThatThrownBy(() -> QuicPools.server().certificate(dir.resolve("ok").resolve("cert.pem"), key))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PKCS#8")
                .hasMessageContaining("openssl pkcs8");
    }
}
