// SPDX-License-Identifier: Apache-2.0
package quicpool.bench.e2e;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The child processes of one {@link TunnelLatency} path ({@link TunnelPeer}s, or the quic-go peer for
 * the tunnel on quic-go), started in order
 * and ended in reverse: direct TCP is the echo target alone; a tunnel is its server, then its
 * client with the echo target. Users connect to {@link #usersAddress()}.
 */
final class TunnelPath implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** The launcher's JVM, where the users run, in {@link #cpuNanosByProcess()}. */
    static final String USERS = "users";

    /** What the users go through. */
    enum Kind {
        DIRECT("direct TCP"),
        TUNNEL("tunnel"),
        NO_POOL("tunnel, no pool"),
        /** The same relay pattern on quic-go: the quic-go peer's {@code tunnel-server} and {@code tunnel-client}. */
        QUIC_GO("tunnel quic-go");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    /** A path: its kind and, for a tunnel, its transport (null for direct TCP). */
    record Spec(Kind kind, String transport) {
        String label() {
            return transport == null ? kind.label : kind.label + " " + transport;
        }
    }

    private final List<ChildProcess> children = new ArrayList<>();
    private InetSocketAddress users;

    private TunnelPath() {
    }

    /**
     * Starts the path's processes and waits until users can connect.
     *
     * @param environment what every child gets in its environment (the tunnel's secret)
     * @throws IllegalStateException naming the process that exited or printed nothing in time
     */
    static TunnelPath start(Spec spec, Map<String, String> environment) throws Exception {
        TunnelPath path = new TunnelPath();
        try {
            if (spec.kind() == Kind.DIRECT) {
                ChildProcess target = path.child("target", environment, TunnelPeer.TARGET);
                path.users = PeerLines.listening(path.line(target, PeerLines.LISTENING));
                return path;
            }
            if (spec.kind() == Kind.QUIC_GO) {
                return path.startQuicGo(environment);
            }
            boolean pooled = spec.kind() == Kind.TUNNEL;
            ChildProcess server = path.child(spec.label() + " server", environment,
                    pooled ? TunnelPeer.SERVER : TunnelPeer.NO_POOL_SERVER, spec.transport());
            String cert = after(TunnelPeer.CERT, path.line(server, TunnelPeer.CERT));
            String quic = after(TunnelPeer.QUIC, path.line(server, TunnelPeer.QUIC));
            String control = after(TunnelPeer.CONTROL, path.line(server, TunnelPeer.CONTROL));
            InetSocketAddress users = PeerLines.listening(path.line(server, PeerLines.LISTENING));
            ChildProcess client = path.child(spec.label() + " client", environment,
                    pooled ? TunnelPeer.CLIENT : TunnelPeer.NO_POOL_CLIENT, spec.transport(), quic, control, cert);
            path.line(client, TunnelPeer.READY);
            path.users = users;
            return path;
        } catch (Exception | Error e) {
            path.close();
            throw e;
        }
    }

    /**
     * The quic-go tunnel: its server, then its client with the echo target, both the quic-go peer
     * binary ({@link ProcessPairs#quicGoBinary()}), which prints the same lines as the Java ends.
     *
     * @throws IllegalStateException if there is no quic-go peer binary
     */
    private TunnelPath startQuicGo(Map<String, String> environment) throws Exception {
        Path binary = ProcessPairs.quicGoBinary();
        if (binary == null) {
            throw new IllegalStateException("no quic-go peer binary (quicpool-bench/quic-go/build.sh builds it)");
        }
        String label = Kind.QUIC_GO.label;
        ChildProcess server = command(label + " server", environment,
                List.of(binary.toString(), "tunnel-server", "-stdin-watch"));
        line(server, TunnelPeer.CERT);
        String quic = after(TunnelPeer.QUIC, line(server, TunnelPeer.QUIC));
        String control = after(TunnelPeer.CONTROL, line(server, TunnelPeer.CONTROL));
        InetSocketAddress usersAt = PeerLines.listening(line(server, PeerLines.LISTENING));
        ChildProcess client = command(label + " client", environment,
                List.of(binary.toString(), "tunnel-client", "-quic", quic, "-control", control, "-stdin-watch"));
        line(client, TunnelPeer.READY);
        users = usersAt;
        return this;
    }

    /** Where the users connect: the target itself, or the tunnel server's public port. */
    InetSocketAddress usersAddress() {
        return users;
    }

    /** The CPU time of every child and of this JVM so far, in nanoseconds; empty if one is unknown. */
    Optional<Long> cpuNanos() {
        return cpuNanosByProcess().map(m -> m.values().stream().mapToLong(Long::longValue).sum());
    }

    /**
     * The CPU time of this JVM ({@value #USERS}) and of every child (by its name) so far, in
     * nanoseconds, in start order; empty if one is unknown.
     */
    Optional<Map<String, Long>> cpuNanosByProcess() {
        Optional<Duration> own = ProcessHandle.current().info().totalCpuDuration();
        if (own.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Long> cpu = new LinkedHashMap<>();
        cpu.put(USERS, own.get().toNanos());
        for (ChildProcess child : children) {
            Optional<Duration> c = child.cpuTime();
            if (c.isEmpty()) {
                return Optional.empty();
            }
            cpu.put(child.name(), c.get().toNanos());
        }
        return Optional.of(cpu);
    }

    private ChildProcess child(String name, Map<String, String> environment, String... args) throws Exception {
        List<String> command = ChildProcess.java(TunnelPeer.class, name);
        command.addAll(List.of(args));
        return command(name, environment, command);
    }

    private ChildProcess command(String name, Map<String, String> environment, List<String> command)
            throws Exception {
        ChildProcess child = ChildProcess.start(name, command, environment);
        children.add(child);
        return child;
    }

    private String line(ChildProcess child, String prefix) throws InterruptedException {
        String line = child.awaitLine(prefix, START_TIMEOUT);
        if (line == null) {
            throw new IllegalStateException(child.name() + " ended before its " + prefix.trim() + " line; its"
                    + " standard error ended: " + child.lastErrors());
        }
        return line;
    }

    private static String after(String prefix, String line) {
        return line.substring(prefix.length()).trim();
    }

    /** Ends the processes, the last started first (each as {@link ChildProcess#close()} does). */
    @Override
    public void close() throws InterruptedException {
        for (int i = children.size() - 1; i >= 0; i--) {
            children.get(i).close();
        }
        children.clear();
    }
}
