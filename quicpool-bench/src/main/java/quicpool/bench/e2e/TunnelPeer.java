// SPDX-License-Identifier: Apache-2.0
package quicpool.bench.e2e;

import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import quicpool.examples.tunnel.EchoServer;
import quicpool.examples.tunnel.Secret;
import quicpool.examples.tunnel.TunnelClient;
import quicpool.examples.tunnel.TunnelServer;

/**
 * One end of a {@link TunnelLatency} path in its own JVM, ended when its standard input ends.
 * Roles:
 *
 * <ul>
 *   <li>{@code target}: the echo target alone (the tunnel example's {@link EchoServer}); prints
 *       {@code LISTENING host:port}.</li>
 *   <li>{@code server T}: the tunnel example's {@link TunnelServer} on transport T (server pool of
 *       at most 256 streams, this JVM's certificate for QUIC and the control channel's TLS);
 *       prints {@code CERT base64-DER}, {@code QUIC host:port}, {@code CONTROL host:port}, then
 *       {@code LISTENING host:port} (the users' port).</li>
 *   <li>{@code client T QUIC CONTROL CERT}: the echo target and the example's {@link
 *       TunnelClient} to it (client pool of 16..256 streams pinned to CERT); prints {@code READY}
 *       once the server has accepted its control channel.</li>
 *   <li>{@code nopool-server T} and {@code nopool-client T QUIC CONTROL CERT}: the same for the
 *       tunnel without a pool ({@link NoPoolServer}, {@link NoPoolClient}).</li>
 * </ul>
 *
 * <p>The tunnel's secret comes from the environment variable {@value Secret#ENVIRONMENT_VARIABLE}.
 *
 * <pre>java -cp benchmarks.jar quicpool.bench.e2e.TunnelPeer target|server T|client T QUIC CONTROL CERT|nopool-server T|nopool-client T QUIC CONTROL CERT</pre>
 */
public final class TunnelPeer {
    static final String CERT = "CERT ";
    static final String QUIC = "QUIC ";
    static final String CONTROL = "CONTROL ";
    static final String READY = "READY";
    static final String TARGET = "target";
    static final String SERVER = "server";
    static final String CLIENT = "client";
    static final String NO_POOL_SERVER = "nopool-server";
    static final String NO_POOL_CLIENT = "nopool-client";
    private static final String USAGE = "TunnelPeer target | server T | client T QUIC-HOST:PORT CONTROL-HOST:PORT"
            + " CERT | nopool-server T | nopool-client T QUIC-HOST:PORT CONTROL-HOST:PORT CERT";
    private static final int SERVER_CAPACITY = 256;
    private static final int CLIENT_MIN = 16;
    private static final int CLIENT_MAX = 256;
    private static final InetSocketAddress ANY_LOOPBACK_PORT = new InetSocketAddress("127.0.0.1", 0);

    private TunnelPeer() {
    }

    public static void main(String[] args) {
        Report.run("TunnelPeer", () -> {
            if (args.length == 0) {
                throw new IllegalArgumentException("a role is missing (usage: " + USAGE + ")");
            }
            List<AutoCloseable> ends = new ArrayList<>();
            try {
                start(args, ends);
                System.out.flush();
                CountDownLatch stdinEnded = new CountDownLatch(1);
                PeerLines.watchStdin(stdinEnded::countDown);
                stdinEnded.await();
            } finally {
                for (int i = ends.size() - 1; i >= 0; i--) {
                    ends.get(i).close();
                }
            }
        });
    }

    /** Starts the role's ends (added to {@code ends}, to be closed in reverse) and prints its lines. */
    private static void start(String[] args, List<AutoCloseable> ends) throws Exception {
        String role = args[0];
        if (role.equals(TARGET)) {
            EchoServer target = EchoServer.start(ANY_LOOPBACK_PORT);
            ends.add(target);
            System.out.println(PeerLines.LISTENING + hostPort(target.address()));
            return;
        }
        String transport = argument(args, 1, "transport");
        switch (role) {
            case SERVER -> {
                TunnelServer server = TunnelServer.start(Loopback.serverBuilder(transport, SERVER_CAPACITY).build(),
                        new TunnelServer.Security(serverTls(), secret(), List.of()), ANY_LOOPBACK_PORT,
                        ANY_LOOPBACK_PORT, Loopback.TIMEOUT);
                ends.add(server);
                printServer(server.quicAddress(), server.controlAddress(), server.publicAddress());
            }
            case NO_POOL_SERVER -> {
                NoPoolServer server = new NoPoolServer(transport);
                ends.add(server);
                printServer(server.quicAddress(), server.controlAddress(), server.publicAddress());
            }
            case CLIENT, NO_POOL_CLIENT -> {
                InetSocketAddress quic = PeerLines.hostPort(argument(args, 2, "QUIC address"));
                InetSocketAddress control = PeerLines.hostPort(argument(args, 3, "control address"));
                X509Certificate pinned = certificate(argument(args, 4, "certificate"));
                EchoServer target = EchoServer.start(ANY_LOOPBACK_PORT);
                ends.add(target);
                if (role.equals(CLIENT)) {
                    TunnelClient client = TunnelClient.start(
                            Loopback.client(transport, quic, pinned, CLIENT_MIN, CLIENT_MAX).build(),
                            new TunnelClient.Security(clientTls(pinned), Loopback.HOST, false, secret()), control,
                            target.address(), Loopback.TIMEOUT);
                    ends.add(client);
                    if (!client.awaitConnected(Loopback.TIMEOUT)) {
                        throw new IllegalStateException("the tunnel did not come up within " + Loopback.TIMEOUT
                                + ": client pool " + client.pool().stats() + ", last dial failure "
                                + client.pool().lastConnectFailure().map(Exception::toString).orElse("none"));
                    }
                } else {
                    ends.add(new NoPoolClient(transport, quic, control, pinned, target.address()));
                }
                System.out.println(READY);
            }
            default -> throw new IllegalArgumentException("unknown role \"" + role + "\" (usage: " + USAGE + ")");
        }
    }

    private static void printServer(InetSocketAddress quic, InetSocketAddress control, InetSocketAddress users)
            throws GeneralSecurityException {
        System.out.println(CERT + Base64.getEncoder().encodeToString(Loopback.CERT.certificate().getEncoded()));
        System.out.println(QUIC + hostPort(quic));
        System.out.println(CONTROL + hostPort(control));
        System.out.println(PeerLines.LISTENING + hostPort(users));
    }

    private static String argument(String[] args, int i, String what) {
        if (args.length <= i) {
            throw new IllegalArgumentException("role " + args[0] + ": argument " + (i + 1) + " (" + what
                    + ") is missing (usage: " + USAGE + ")");
        }
        return args[i];
    }

    private static String hostPort(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    private static Secret secret() {
        String text = System.getenv(Secret.ENVIRONMENT_VARIABLE);
        if (text == null) {
            throw new IllegalStateException("the environment variable " + Secret.ENVIRONMENT_VARIABLE
                    + " must hold the tunnel's secret (TunnelLatency sets it)");
        }
        return Secret.of(text);
    }

    /** The server's control-channel TLS: this JVM's certificate, as its QUIC pool uses. */
    private static SSLContext serverTls() throws Exception {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(Loopback.CERT.keyStore(), Loopback.CERT.password());
        SSLContext tls = SSLContext.getInstance("TLSv1.3");
        tls.init(keys.getKeyManagers(), null, null);
        return tls;
    }

    /** The client's control-channel TLS: accepts the server's pinned certificate only, as its pool does. */
    private static SSLContext clientTls(X509Certificate pinned) throws GeneralSecurityException {
        SSLContext tls = SSLContext.getInstance("TLSv1.3");
        tls.init(null, new TrustManager[] {new PinnedTrust(pinned)}, null);
        return tls;
    }

    /** The certificate of a {@code CERT} line. */
    static X509Certificate certificate(String base64) throws GeneralSecurityException {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(base64)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("certificate must be Base64 DER, was \"" + base64 + "\"", e);
        }
    }
}
