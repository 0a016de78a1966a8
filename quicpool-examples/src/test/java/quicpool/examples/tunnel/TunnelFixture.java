// SPDX-License-Identifier: Apache-2.0
package quicpool.examples.tunnel;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import quicpool.api.ClientPoolBuilder;
import quicpool.api.QuicPools;
import quicpool.api.ServerPoolBuilder;
import quicpool.testkit.TestCertificate;
import quicpool.testkit.TestCertificates;

/**
 * Both ends of a tunnel on loopback, over the transport that {@code -Dquicpool.transport} names
 * (the in-memory one in this module's surefire configuration).
 */
final class TunnelFixture implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    static final TestCertificate CERT = TestCertificates.localhost();
    static final Secret SECRET = Secret.of("a test secret, 16+ characters");

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
        return start(target, timeout, null);
    }

    /** As {@link #start(InetSocketAddress, Duration)}, over the named transport (null: the default). */
    static TunnelFixture start(InetSocketAddress target, Duration timeout, String transport) throws Exception {
        TunnelServer server = startServer(timeout, transport);
        try {
            TunnelClient client = startClient(server, target, timeout, transport);
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

    static TunnelServer startServer(Duration timeout, String transport) throws IOException, GeneralSecurityException {
        ServerPoolBuilder pool = QuicPools.server()
                .listen(new InetSocketAddress(LOOPBACK, 0))
                .keyStore(CERT.keyStore(), CERT.alias(), CERT.password())
                .maxCapacity(256);
        if (transport != null) {
            pool.transport(transport);
        }
        return TunnelServer.start(pool.build(), new TunnelServer.Security(
                        ControlTls.server(CERT.keyStore(), CERT.password()), SECRET, List.of()),
                new InetSocketAddress(LOOPBACK, 0), new InetSocketAddress(LOOPBACK, 0), timeout);
    }

    static TunnelClient startClient(TunnelServer server, InetSocketAddress target, Duration timeout, String transport)
            throws GeneralSecurityException {
        return TunnelClient.start(clientPool(server.quicAddress(), transport).capacity(16, 256).build(),
                new TunnelClient.Security(controlTls(), "localhost", false, SECRET), server.controlAddress(), target,
                timeout);
    }

    /** A client pool that pins the fixture's certificate, dialing {@code quic}; not built. */
    static ClientPoolBuilder clientPool(InetSocketAddress quic, String transport) {
        ClientPoolBuilder pool = QuicPools.client()
                .serverAddress(quic)
                .hostname("localhost")
                .pinCertificate(CERT.certificate())
                .refillInterval(Duration.ofMillis(20), Duration.ofMillis(200));
        if (transport != null) {
            pool.transport(transport);
        }
        return pool;
    }

    /** The client side of the control channel's TLS, pinning the fixture's certificate. */
    static SSLContext controlTls() throws GeneralSecurityException {
        return ControlTls.client(ControlTls.pinned(ControlTls.fingerprint(CERT.certificate())));
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
