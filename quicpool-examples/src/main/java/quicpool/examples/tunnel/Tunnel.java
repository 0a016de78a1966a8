// SPDX-License-Identifier: Apache-2.0
package quicpool.examples.tunnel;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;
import quicpool.api.ClientPoolBuilder;
import quicpool.api.IpRange;
import quicpool.api.PoolBuilder;
import quicpool.api.QuicPools;
import quicpool.api.ServerPoolBuilder;
import quicpool.examples.DemoCertificate;
import quicpool.examples.tunnel.Options.UsageException;

/**
 * The command line of the reverse tunnel: {@code server}, {@code client}, {@code --demo} and
 * {@code --help}. See {@link #USAGE}.
 */
public final class Tunnel {
    static final String USAGE = """
            A reverse TCP tunnel over pre-opened QUIC streams (a quicpool example).

              java -p <modules> -m quicpool.examples/quicpool.examples.tunnel.Tunnel <command> [options]

            commands
              server    the public end: users connect to --public, the tunnel client to --listen
              client    the private end, next to the target: dials the server, connects users to --target
              --demo    both ends, an echo target and users in this process on loopback; then exits
              --help    this text

            server options
              --public HOST:PORT      TCP address users connect to (required)
              --listen HOST:PORT      UDP address of the QUIC server pool (required)
              --control HOST:PORT     TCP address of the control channel, TLS (default: the --listen address)
              --secret TEXT           the secret a tunnel client must prove, at least 16 characters
                                      (required; default: the environment variable QUICPOOL_TUNNEL_SECRET,
                                      which, unlike an argument, other users of the machine cannot see)
              --cert FILE --key FILE  certificate chain and PKCS#8 private key, PEM (QUIC and control)
              --self-signed           instead: make a throwaway certificate and print its fingerprint
              --capacity N            idle streams kept at most (default 256)
              --allow IP|CIDR         accept control connections only from here; repeatable (default:
                                      anyone). The QUIC pool admits nobody until a tunnel client has
                                      proved the secret, then that client's address only
              --timeout SECONDS       bound on a ready stream and on each control line a client owes (default 10)
              --transport NAME        QUIC transport, e.g. kwik or netty (default: -Dquicpool.transport,
                                      else the best installed)

            client options
              --server HOST:PORT      the server's --listen address (required)
              --target HOST:PORT      the TCP service users reach (required)
              --control HOST:PORT     the server's control address (default: the --server address)
              --secret TEXT           the server's secret (required; default: QUICPOOL_TUNNEL_SECRET)
              --tls 0|1|2             0 any certificate, 1 pinned (self-signed), 2 verified against the
                                      JDK's trust store (default 2; 1 with --fingerprint, --pin-key or --pin);
                                      for the QUIC pool and the control channel alike
              --fingerprint SHA256    the server certificate's SHA-256 fingerprint, hex (--tls 1)
              --pin-key SHA256        the SHA-256 of the server's public key (SubjectPublicKeyInfo), hex
                                      (--tls 1); unlike --fingerprint, it survives a renewal that
                                      keeps the key
              --pin FILE              the server certificate, PEM (--tls 1)
              --hostname NAME         name for SNI and for --tls 2 (default: the --server host)
              --capacity MIN-MAX      ready streams kept (default 8-256)
              --timeout SECONDS       bound on each dial and on waiting for a stream (default 10)
              --transport NAME        as for the server

            demo options
              --connections N         users to serve (default 200)
              --transport NAME        as for the server

            exit status: 0 done, 1 failed, 2 bad arguments
            """;

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private Tunnel() {
    }

    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /** Runs one command; returns the exit status. {@code server} and {@code client} run until the JVM stops. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, System.getenv(), out, err);
    }

    /** As {@link #run(String[], PrintStream, PrintStream)}, reading the secret's variable from {@code env}. */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        try {
            if (args.length == 0) {
                throw new UsageException("a command is missing: server, client, --demo or --help");
            }
            List<String> rest = Arrays.asList(args).subList(1, args.length);
            if (rest.contains("--help") || rest.contains("-h")) {
                out.print(USAGE);
                return 0;
            }
            switch (args[0]) {
                case "--help", "-h", "help":
                    out.print(USAGE);
                    return 0;
                case "server":
                    return server(rest, env, out);
                case "client":
                    return client(rest, env, out);
                case "--demo":
                    Options o = Options.parse(rest, Set.of("--connections", "--transport"), Set.of());
                    return TunnelDemo.run(o.integer("--connections", 200, 1, 1_000_000), o.get("--transport"), out);
                default:
                    throw new UsageException("unknown command \"" + args[0]
                            + "\": expected server, client, --demo or --help");
            }
        } catch (UsageException e) {
            err.println("tunnel: " + e.getMessage());
            err.println("Run with --help for usage.");
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (Exception e) {
            err.println("tunnel: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            return 1;
        }
    }

    private static int server(List<String> args, Map<String, String> env, PrintStream out) throws Exception {
        Options o = Options.parse(args, Set.of("--public", "--listen", "--control", "--cert", "--key", "--capacity",
                "--allow", "--timeout", "--transport", "--secret"), Set.of("--self-signed"));
        Secret secret = secret(o, env);
        InetSocketAddress publicAddress = Options.address("--public", o.required("--public", "HOST:PORT"), true);
        InetSocketAddress listen = Options.address("--listen", o.required("--listen", "HOST:PORT"), true);
        InetSocketAddress control = o.has("--control") ? o.address("--control", true) : listen;
        ServerPoolBuilder pool = QuicPools.server()
                .listen(listen)
                .maxCapacity(o.integer("--capacity", 256, 1, Integer.MAX_VALUE));
        List<IpRange> allowFrom = new ArrayList<>();
        for (String allowed : o.all("--allow")) {
            try {
                allowFrom.add(IpRange.parse(allowed));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--allow: " + e.getMessage());
            }
        }
        String fingerprint = null;
        String publicKey = null;
        SSLContext controlTls;
        if (o.has("--self-signed")) {
            if (o.has("--cert") || o.has("--key")) {
                throw new UsageException("--self-signed: give either --self-signed or --cert and --key, not both");
            }
            DemoCertificate cert = DemoCertificate.create();
            pool.keyStore(cert.keyStore, DemoCertificate.ALIAS, DemoCertificate.PASSWORD);
            controlTls = ControlTls.server(cert.keyStore, DemoCertificate.PASSWORD);
            fingerprint = cert.fingerprint();
            publicKey = ControlTls.publicKeyDigest(cert.certificate);
        } else {
            Path cert = readable("--cert", o.required("--cert", "a PEM certificate chain (or use --self-signed)"));
            Path key = readable("--key", o.required("--key", "a PEM PKCS#8 private key (or use --self-signed)"));
            try {
                pool.certificate(cert, key);
                controlTls = ControlTls.server(PemKeyStore.load(cert, key), PemKeyStore.PASSWORD);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--cert/--key: " + e.getMessage());
            }
        }
        transport(pool, o);
        TunnelServer server = TunnelServer.start(pool.build(),
                new TunnelServer.Security(controlTls, secret, allowFrom), publicAddress, control,
                o.seconds("--timeout", DEFAULT_TIMEOUT));
        out.printf("tunnel server: users connect to tcp %s; tunnel client: --server udp %s --control tcp %s%n",
                server.publicAddress(), server.quicAddress(), server.controlAddress());
        if (fingerprint != null) {
            out.printf("certificate SHA-256 fingerprint (client: --tls 1 --fingerprint ...): %s%n", fingerprint);
            out.printf("public key SHA-256 (client: --tls 1 --pin-key ...): %s%n", publicKey);
        }
        return runUntilStopped(server);
    }

    private static int client(List<String> args, Map<String, String> env, PrintStream out) throws Exception {
        Options o = Options.parse(args, Set.of("--server", "--target", "--control", "--tls", "--fingerprint", "--pin",
                "--hostname", "--capacity", "--timeout", "--transport", "--secret", "--pin-key"), Set.of());
        Secret secret = secret(o, env);
        InetSocketAddress server = Options.address("--server", o.required("--server", "HOST:PORT"), false);
        InetSocketAddress target = Options.address("--target", o.required("--target", "HOST:PORT"), false);
        InetSocketAddress control = o.has("--control") ? o.address("--control", false) : server;
        int[] capacity = capacity(o.get("--capacity"));
        Duration timeout = o.seconds("--timeout", DEFAULT_TIMEOUT);
        ClientPoolBuilder pool = QuicPools.client()
                .serverAddress(server.getHostString(), server.getPort())
                .capacity(capacity[0], capacity[1])
                .connectTimeout(timeout);
        if (o.has("--hostname")) {
            pool.hostname(o.get("--hostname"));
        }
        boolean verify = "2".equals(tlsCode(o));
        SSLContext controlTls = ControlTls.client(tls(pool, o));
        transport(pool, o);
        String serverName = o.has("--hostname") ? o.get("--hostname") : server.getHostString();
        TunnelClient client = TunnelClient.start(pool.build(),
                new TunnelClient.Security(controlTls, serverName, verify, secret), control, target, timeout);
        out.printf("tunnel client: QUIC to %s, control %s, users reach %s%n", server, control, target);
        return runUntilStopped(client);
    }

    /** {@code --tls}, or its default: 1 with a pin, else 2. */
    private static String tlsCode(Options o) {
        boolean pinned = pinCount(o) > 0;
        return o.get("--tls") != null ? o.get("--tls") : pinned ? "1" : "2";
    }

    /** Sets the pool's TLS choice and returns the control channel's judge of the server, the same choice. */
    private static X509TrustManager tls(ClientPoolBuilder pool, Options o) throws UsageException,
            GeneralSecurityException, IOException {
        boolean pinned = pinCount(o) > 0;
        String code = tlsCode(o);
        switch (code) {
            case "0", "2":
                if (pinned) {
                    throw new UsageException("--fingerprint, --pin-key and --pin need --tls 1, not --tls " + code);
                }
                if (code.equals("0")) {
                    pool.insecure();
                    return ControlTls.anyCertificate();
                }
                pool.verify();
                return ControlTls.verified();
            case "1":
                if (pinCount(o) != 1) {
                    throw new UsageException("--tls 1: give exactly one of --fingerprint SHA256, --pin-key SHA256"
                            + " or --pin FILE");
                }
                try {
                    if (o.has("--pin-key")) {
                        pool.pinPublicKey(o.get("--pin-key"));
                        return ControlTls.pinnedKey(o.get("--pin-key"));
                    }
                    if (o.has("--fingerprint")) {
                        pool.pinFingerprint(o.get("--fingerprint"));
                        return ControlTls.pinned(o.get("--fingerprint"));
                    }
                    Path pem = readable("--pin", o.get("--pin"));
                    pool.pinCertificate(pem);
                    return ControlTls.pinned(ControlTls.fingerprint(pem));
                } catch (IllegalArgumentException e) {
                    throw new UsageException((o.has("--pin") ? "--pin: " : o.has("--pin-key") ? "--pin-key: "
                            : "--fingerprint: ") + e.getMessage());
                }
            default:
                throw new UsageException("--tls: expected 0, 1 or 2, was \"" + code + "\"");
        }
    }

    private static int pinCount(Options o) {
        return (o.has("--fingerprint") ? 1 : 0) + (o.has("--pin-key") ? 1 : 0) + (o.has("--pin") ? 1 : 0);
    }

    /** {@code --secret}, else the environment variable; required. */
    static Secret secret(Options o, Map<String, String> env) throws UsageException {
        String option = o.get("--secret");
        String text = option != null ? option : env.get(Secret.ENVIRONMENT_VARIABLE);
        if (text == null || text.isEmpty()) {
            throw new UsageException("a secret is required: --secret TEXT or the environment variable "
                    + Secret.ENVIRONMENT_VARIABLE + " (at least " + Secret.MIN_LENGTH
                    + " characters, the same at both ends)");
        }
        try {
            return Secret.of(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException((option != null ? "--secret: " : Secret.ENVIRONMENT_VARIABLE + ": ")
                    + e.getMessage());
        }
    }

    /** {@code MIN-MAX} within the client pool's bounds. */
    static int[] capacity(String text) throws UsageException {
        if (text == null) {
            return new int[] {8, 256};
        }
        int dash = text.indexOf('-');
        if (dash <= 0) {
            throw new UsageException("--capacity: expected MIN-MAX such as 8-256, was \"" + text + "\"");
        }
        int max = ClientPoolBuilder.MAX_CAPACITY;
        int low = Options.integer("--capacity (MIN)", text.substring(0, dash), 1, max);
        int high = Options.integer("--capacity (MAX)", text.substring(dash + 1), 1, max);
        if (low > high) {
            throw new UsageException("--capacity: MIN must not exceed MAX, was \"" + text + "\"");
        }
        return new int[] {low, high};
    }

    private static <B extends PoolBuilder<B>> void transport(B pool, Options o) {
        if (o.has("--transport")) {
            pool.transport(o.get("--transport"));
        }
    }

    private static Path readable(String option, String file) throws UsageException {
        Path path = Path.of(file);
        if (!Files.isReadable(path)) {
            throw new UsageException(option + ": cannot read the file \"" + file + "\"");
        }
        return path;
    }

    /** Serves until the JVM is stopped (Ctrl-C, SIGTERM); the shutdown hook closes the tunnel end. */
    private static int runUntilStopped(AutoCloseable tunnelEnd) throws InterruptedException {
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                tunnelEnd.close();
            } catch (Exception e) {
                System.err.println("tunnel: closing: " + e);
            } finally {
                closed.countDown();
            }
        }, "tunnel-shutdown"));
        closed.await();
        return 0;
    }
}
