// SPDX-License-Identifier: Apache-2.0
package quicpool.examples.tunnel;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import quicpool.api.QuicPools;
import quicpool.testkit.TestCertificate;
import quicpool.testkit.TestCertificates;

/**
 * Both ends of a tunnel on loopback, over the transport that {@code -Dquicpool.transport} names
 * (the in-memory one in this module's surefire configuration).
 */
final class TunnelFixture implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final TestCertificate CERT = TestCertificates.localhost();

    final TunnelServer server;
    final TunnelClient client;

    private TunnelFixture(TunnelServer server, TunnelClient client) {
        this.server = server;
        this.client = client;
    }

    /** A tunnel to {@code target}, up (control channel accepted) when this returns. */
    static TunnelFixture start(InetSocketAddress target) throws Exception {
        return start(target, WAIT);
    }

    static TunnelFixture start(InetSocketAddress target, Duration timeout) throws Exception {
        TunnelServer server = startServer(timeout);
        try {
            TunnelClient client = startClient(server, target, timeout);
            if (!client.awaitConnected(WAIT)) {
                client.close();
                throw new IllegalStateException("tunnel not up within " + WAIT + ": " + client.pool().stats());
            }
            return new TunnelFixture(server, client);
        } catch (Exception | Error e) {
            server.close();
            throw e;
        }
    }

    static TunnelServer startServer(Duration timeout) throws IOException {
        return TunnelServer.start(QuicPools.server()
                        .listen(new InetSocketAddress(LOOPBACK, 0))
                        .keyStore(CERT.keyStore(), CERT.alias(), CERT.password())
                        .maxCapacity(256)
                        .build(),
                new InetSocketAddress(LOOPBACK, 0), new InetSocketAddress(LOOPBACK, 0), timeout);
    }

    static TunnelClient startClient(TunnelServer server, InetSocketAddress target, Duration timeout) {
        return TunnelClient.start(QuicPools.client()
                        .serverAddress(server.quicAddress())
                        .hostname("localhost")
                        .pinCertificate(CERT.certificate())
                        .capacity(16, 256)
                        .refillInterval(Duration.ofMillis(20), Duration.ofMillis(200))
                        .build(),
                server.controlAddress(), target, timeout);
    }

    /** A user's connection to the public port, reads bounded by {@link #WAIT}. */
    Socket connectUser() throws IOException {
        return connect(server.publicAddress());
    }

    static Socket connect(InetSocketAddress address) throws IOException {
        Socket socket = new Socket();
        socket.connect(address, (int) WAIT.toMillis());
        socket.setSoTimeout((int) WAIT.toMillis());
        return socket;
    }

    /** An address where nothing listens: a port just bound and released. */
    static InetSocketAddress deadAddress() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
            return (InetSocketAddress) s.getLocalSocketAddress();
        }
    }

    @Override
    public void close() {
        client.close();
        server.close();
    }
}
