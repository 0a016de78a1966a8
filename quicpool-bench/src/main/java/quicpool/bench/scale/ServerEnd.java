// SPDX-License-Identifier: Apache-2.0
package quicpool.bench.scale;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import quicpool.api.PoolStats;
import quicpool.api.ServerPool;
import quicpool.testkit.TestCertificate;
import quicpool.testkit.TestCertificates;

/**
 * The server end of {@link FillTime}'s per-end heap measurement, in a JVM of its own so that its
 * heap holds the server pool alone. Talks over standard input and output, one line each:
 * prints {@code READY <port> <fingerprint> <heap after GC> <threads>} once listening; answers
 * {@code STATS} with {@code STATS <active> <connections> <heap after GC> <threads>}; ends at
 * {@code QUIT} or end of input.
 *
 * <pre>java -cp benchmarks.jar quicpool.bench.scale.ServerEnd &lt;transport&gt; &lt;capacity&gt;</pre>
 */
public final class ServerEnd {
    private ServerEnd() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: ServerEnd <transport> <capacity>, was " + String.join(" ", args));
        }
        TestCertificate cert = TestCertificates.localhost();
        try (ServerPool server = ScalePools.server(args[0], Integer.parseInt(args[1]), cert)) {
            System.out.printf(Locale.ROOT, "READY %d %s %d %d%n", server.localAddress().getPort(),
                    cert.sha256Fingerprint(), Resources.heapAfterGc(), Resources.threads());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null && !line.equals("QUIT"); line = in.readLine()) {
                if (line.equals("STATS")) {
                    PoolStats s = server.stats();
                    System.out.printf(Locale.ROOT, "STATS %d %d %d %d%n", s.active(), s.connections(),
                            Resources.heapAfterGc(), Resources.threads());
                    System.out.flush();
                }
            }
        }
    }
}
