// SPDX-License-Identifier: Apache-2.0
package quicpool.bench.scale;

import java.net.InetSocketAddress;
import java.time.Duration;
import quicpool.api.ClientPool;
import quicpool.api.QuicPools;
import quicpool.api.ServerPool;
import quicpool.testkit.TestCertificate;

/**
 * The pools every scale measurement uses: a server on 127.0.0.1 (ephemeral port) with a
 * {@code localhost} certificate, and a client pinned to that certificate's fingerprint whose target
 * is fixed at its capacity (min = max), so it fills to capacity and stays there.
 */
final class ScalePools {
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(10);

    private ScalePools() {
    }

    /** A started server pool holding at most {@code capacity} idle streams. */
    static ServerPool server(String transport, int capacity, TestCertificate cert) {
        ServerPool s = QuicPools.server()
                .listen(new InetSocketAddress("127.0.0.1", 0))
                .keyStore(cert.keyStore(), cert.alias(), cert.password())
                .keepAlive(KEEP_ALIVE)
                .handshakeTimeout(Duration.ofSeconds(30))
                .maxCapacity(capacity)
                .transport(transport)
                .build();
        s.start();
        return s;
    }

    /** A client pool, not yet started, that fills to {@code capacity} streams. */
    static ClientPool client(String transport, int capacity, InetSocketAddress server, String sha256Fingerprint) {
        return QuicPools.client()
                .serverAddress(server)
                .hostname("localhost")
                .pinFingerprint(sha256Fingerprint)
                .keepAlive(KEEP_ALIVE)
                .connectTimeout(Duration.ofSeconds(20))
                .handshakeTimeout(Duration.ofSeconds(30))
                .refillInterval(Duration.ofMillis(20), Duration.ofMillis(100))
                .capacity(capacity, capacity)
                .transport(transport)
                .build();
    }
}
