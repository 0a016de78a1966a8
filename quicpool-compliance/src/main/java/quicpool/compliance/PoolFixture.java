// SPDX-License-Identifier: Apache-2.0
package quicpool.compliance;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.UnaryOperator;
import quicpool.api.ClientPool;
import quicpool.api.ClientPoolBuilder;
import quicpool.api.QuicPools;
import quicpool.api.ServerPool;
import quicpool.api.ServerPoolBuilder;
import quicpool.api.spi.QuicTransport;
import quicpool.testkit.TestCertificate;
import quicpool.testkit.TestCertificates;

/**
 * A started server pool on 127.0.0.1:0 with a {@code localhost} certificate, and a client pool
 * (not yet started) pinned to that certificate, or with the TLS choice a test makes instead, each
 * on its own transport.
 */
public final class PoolFixture implements AutoCloseable {
    /** The server's certificate: CN and DNS SAN {@code localhost}, IP SAN 127.0.0.1. */
    public static final TestCertificate CERT = TestCertificates.localhost();

    public final ServerPool server;
    public final ClientPool client;

    /** A client pinned to {@link #CERT}, adjusted by {@code clientConfig}, which makes no TLS choice. */
    public PoolFixture(QuicTransport serverTransport, QuicTransport clientTransport,
                       UnaryOperator<ServerPoolBuilder> serverConfig, UnaryOperator<ClientPoolBuilder> clientConfig) {
        this(serverTransport, clientTransport, serverConfig, PoolFixture::pinned, clientConfig);
    }

    /**
     * A client whose TLS choice {@code clientTls} makes (a builder allows only one, see {@link
     * ClientPoolBuilder}), adjusted by {@code clientConfig}.
     */
    public PoolFixture(QuicTransport serverTransport, QuicTransport clientTransport,
                       UnaryOperator<ServerPoolBuilder> serverConfig, UnaryOperator<ClientPoolBuilder> clientTls,
                       UnaryOperator<ClientPoolBuilder> clientConfig) {
        server = serverConfig.apply(QuicPools.server()
                .listen(new InetSocketAddress("127.0.0.1", 0))
                .keyStore(CERT.keyStore(), CERT.alias(), CERT.password())
                .keepAlive(Duration.ofSeconds(5))
                .transport(serverTransport)).build();
        server.start();
        ClientPool c;
        try {
            c = clientConfig.apply(clientTls.apply(QuicPools.client())
                    .serverAddress(server.localAddress())
                    .hostname("localhost")
                    .keepAlive(Duration.ofSeconds(5))
                    .connectTimeout(Duration.ofSeconds(3))
                    .handshakeTimeout(Duration.ofSeconds(10))
                    .refillInterval(Duration.ofMillis(20), Duration.ofMillis(100))
                    .transport(clientTransport)).build();
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        client = c;
    }

    /** The fixture clients' TLS choice unless a test makes another: pinned to {@link #CERT}. */
    public static ClientPoolBuilder pinned(ClientPoolBuilder builder) {
        return builder.pinCertificate(CERT.certificate());
    }

    /** Waits until both ends hold at least {@code n} idle streams. */
    public PoolFixture awaitFilled(int n, Duration bound) {
        Conditions.await("client and server hold " + n + " idle streams", bound,
                () -> client.active() >= n && server.active() >= n, () -> client.stats() + " / " + server.stats()
                        + " / last failure " + client.lastConnectFailure().map(Exception::toString).orElse("none"));
        return this;
    }

    @Override
    public void close() {
        try {
            client.close();
        } finally {
            server.close();
        }
    }
}
