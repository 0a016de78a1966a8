// SPDX-License-Identifier: Apache-2.0
package quicpool.bench.e2e;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import quicpool.api.PoolClosedException;
import quicpool.api.PoolTimeoutException;
import quicpool.api.ServerPool;
import quicpool.api.StreamConn;

/**
 * The server end of {@link ProcessPairs} in its own JVM: a quicpool server pool of one transport
 * on 127.0.0.1, an ephemeral port printed as {@code LISTENING 127.0.0.1:PORT}, that takes every
 * stream as it arrives and serves it: {@code echo} echoes it to its FIN; {@code bulk} reads it to
 * its end and answers the 8-byte count. With {@code --stdin-watch} it ends when its standard input
 * ends.
 *
 * <pre>java -cp benchmarks.jar quicpool.bench.e2e.PeerServer kwik|netty echo|bulk [--stdin-watch]</pre>
 */
public final class PeerServer {
    private static final String USAGE = "PeerServer <kwik|netty> <echo|bulk> [--stdin-watch]";
    /** Room for two client pools of 2 x 128 streams, as {@link EchoWorkload}'s server. */
    private static final int MAX_CAPACITY = 512;

    private PeerServer() {
    }

    public static void main(String[] args) {
        Report.run("PeerServer", () -> {
            List<String> transports = new Args(args, USAGE).transports();
            if (transports.size() != 1) {
                throw new IllegalArgumentException("PeerServer needs exactly one transport that runs here, got \""
                        + args[0] + "\" (usage: " + USAGE + ")");
            }
            boolean echo = Workload.of(args, 1, USAGE).equals(Workload.ECHO);
            ExecutorService handlers = Loopback.threads("serve");
            try (ServerPool server = Loopback.server(transports.get(0), MAX_CAPACITY)) {
                if (List.of(args).contains(PeerLines.STDIN_WATCH)) {
                    PeerLines.watchStdin(server::close);
                }
                System.out.println(PeerLines.LISTENING + "127.0.0.1:" + server.localAddress().getPort());
                System.out.flush();
                serve(server, echo, handlers);
            } finally {
                Loopback.shutdown(handlers);
            }
        });
    }

    /** Takes and serves streams until the pool is closed. */
    private static void serve(ServerPool server, boolean echo, ExecutorService handlers) throws InterruptedException {
        while (true) {
            StreamConn s;
            try {
                s = server.incomingGet(Duration.ofMinutes(1));
            } catch (PoolTimeoutException e) {
                continue; // no client for a minute: keep waiting
            } catch (PoolClosedException e) {
                return;
            }
            handlers.execute(() -> serveOne(s, echo));
        }
    }

    private static void serveOne(StreamConn s, boolean echo) {
        try (s) {
            if (echo) {
                EchoWorkload.echo(s);
            } else {
                Sink.serve(Duplex.of(s));
            }
        } catch (IOException e) {
            // a surplus stream the client closed at once may be reset: nothing to serve
            System.getLogger("quicpool.bench.e2e").log(System.Logger.Level.DEBUG, "stream " + s.id() + " ended: " + e);
        }
    }
}
