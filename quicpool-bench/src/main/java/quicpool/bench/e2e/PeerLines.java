// SPDX-License-Identifier: Apache-2.0
package quicpool.bench.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The lines the separate-process peers (quicpool's {@link PeerServer} and {@link PeerClient}, and
 * {@code quicpool-bench/quic-go}) print on standard output, the same in Java and Go: a server's
 * {@code LISTENING host:port} once bound, and a client's {@code RESULT key=value ...} per round.
 */
final class PeerLines {
    static final String LISTENING = "LISTENING ";
    static final String RESULT = "RESULT ";
    /** The flag that makes a peer exit when its standard input ends. */
    static final String STDIN_WATCH = "--stdin-watch";

    private PeerLines() {
    }

    /**
     * One round's result as a client prints it.
     *
     * @param cpuNanos the client process's CPU time (user and system) when it printed the line,
     *                 or -1 if it did not say ({@code cpu_ns=}, optional): a client that has
     *                 printed its last line may have exited before anyone else could read its CPU time
     */
    record Result(String impl, String workload, int round, boolean warmup, long wallNanos, long bytes, long cpuNanos) {
        String line() {
            return String.format(Locale.ROOT, "%simpl=%s workload=%s round=%d warmup=%b wall_ns=%d bytes=%d%s", RESULT,
                    impl, workload, round, warmup, wallNanos, bytes, cpuNanos < 0 ? "" : " cpu_ns=" + cpuNanos);
        }

        /**
         * Parses a {@code RESULT} line.
         *
         * @throws IllegalArgumentException naming the line if a field is missing or malformed
         */
        static Result parse(String line) {
            if (!line.startsWith(RESULT)) {
                throw new IllegalArgumentException("not a RESULT line: \"" + line + "\"");
            }
            Map<String, String> f = new HashMap<>();
            for (String kv : line.substring(RESULT.length()).trim().split("\\s+")) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    f.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
            try {
                return new Result(required(f, "impl", line), required(f, "workload", line),
                        Integer.parseInt(required(f, "round", line)), Boolean.parseBoolean(required(f, "warmup", line)),
                        Long.parseLong(required(f, "wall_ns", line)), Long.parseLong(required(f, "bytes", line)),
                        f.containsKey("cpu_ns") ? Long.parseLong(f.get("cpu_ns")) : -1);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("RESULT line with a malformed number: \"" + line + "\"", e);
            }
        }

        private static String required(Map<String, String> fields, String key, String line) {
            String v = fields.get(key);
            if (v == null) {
                throw new IllegalArgumentException("RESULT line without " + key + "=: \"" + line + "\"");
            }
            return v;
        }
    }

    /** The address of a {@code LISTENING host:port} line. */
    static InetSocketAddress listening(String line) {
        String hostPort = line.substring(LISTENING.length()).trim();
        int colon = hostPort.lastIndexOf(':');
        if (!line.startsWith(LISTENING) || colon <= 0) {
            throw new IllegalArgumentException("expected \"LISTENING host:port\", got \"" + line + "\"");
        }
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }

    /**
     * Parses {@code host:port}.
     *
     * @throws IllegalArgumentException naming the value if it is not host:port with a port number
     */
    static InetSocketAddress hostPort(String value) {
        int colon = value.lastIndexOf(':');
        try {
            if (colon > 0) {
                return new InetSocketAddress(value.substring(0, colon), Integer.parseInt(value.substring(colon + 1)));
            }
        } catch (IllegalArgumentException e) {
            // falls through to the message below
        }
        throw new IllegalArgumentException("server address must be host:port, e.g. 127.0.0.1:4433, was \"" + value + "\"");
    }

    /**
     * Runs {@code onEnd} on a daemon thread once standard input ends: a peer started by {@link
     * ProcessPairs} ends with the launcher even when the launcher is killed.
     */
    static void watchStdin(Runnable onEnd) {
        Thread t = new Thread(() -> {
            try {
                InputStream in = System.in;
                byte[] buf = new byte[256];
                while (in.read(buf) >= 0) {
                    // the launcher writes nothing; only the end matters
                }
            } catch (IOException e) {
                // an unreadable standard input counts as ended
            }
            onEnd.run();
        }, "stdin-watch");
        t.setDaemon(true);
        t.start();
    }
}
