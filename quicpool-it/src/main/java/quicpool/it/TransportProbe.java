// SPDX-License-Identifier: Apache-2.0
package quicpool.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeoutException;
import quicpool.api.ClientPool;
import quicpool.api.QuicPools;
import quicpool.api.ServerPool;
import quicpool.api.StreamConn;

/**
 * A quicpool application as small as one gets: a server pool and a client pool on loopback pair one
 * stream by ID, echo a line through it, and print the transport that served them:
 *
 * <pre>
 * transport      kwik
 * server side    kwik
 * </pre>
 *
 * It names no transport: {@code QuicPools} picks one from the module path (or from the system
 * property {@code quicpool.transport}). When none can serve, the pools' exception ends the program
 * with a non-zero exit status.
 *
 * <p>Usage: {@code java -p <modules> -m quicpool.it/quicpool.it.TransportProbe <cert.pem> <key.pem>},
 * with a certificate for {@code localhost}.
 */
public final class TransportProbe {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /**
     * Short, so that the JVM ends soon after the pools close: Kwik 0.10.8 runs its keep-alive pings
     * on a non-daemon thread that outlives the connection until the next ping is due, every half
     * idle timeout (3 x keep-alive), 15 s with the default keep-alive of 10 s.
     */
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(1);
    private static final byte[] LINE = "one pair, one echo\n".getBytes(StandardCharsets.US_ASCII);

    private TransportProbe() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: TransportProbe <cert.pem> <key.pem>, got " + Arrays.toString(args));
            System.exit(2);
        }
        Path cert = Path.of(args[0]);
        Path key = Path.of(args[1]);
        try (ServerPool server = QuicPools.server()
                .listen(new InetSocketAddress("127.0.0.1", 0))
                .certificate(cert, key)
                .maxCapacity(4)
                .keepAlive(KEEP_ALIVE)
                .build()) {
            server.start();
            try (ClientPool client = QuicPools.client()
                    .serverAddress(server.localAddress())
                    .hostname("localhost")
                    .pinCertificate(cert)
                    .capacity(2, 4)
                    .keepAlive(KEEP_ALIVE)
                    .build()) {
                client.start();
                echoOnce(server, client);
                System.out.printf("transport      %s%n", client.stats().transport());
                System.out.printf("server side    %s%n", server.stats().transport());
            }
        }
    }

    private static void echoOnce(ServerPool server, ClientPool client)
            throws IOException, InterruptedException, TimeoutException {
        StreamConn s = server.incomingGet(WAIT);
        StreamConn c = client.outgoingGet(s.id(), WAIT);
        try (s; c) {
            s.setReadTimeout(WAIT);
            c.setReadTimeout(WAIT);
            c.outputStream().write(LINE);
            c.shutdownOutput();
            s.outputStream().write(s.inputStream().readAllBytes());
            s.outputStream().close();
            byte[] back = c.inputStream().readAllBytes();
            if (!Arrays.equals(back, LINE)) {
                throw new IOException("stream " + s.id() + " echoed " + back.length + " bytes that differ from the "
                        + LINE.length + " sent");
            }
        }
    }
}
