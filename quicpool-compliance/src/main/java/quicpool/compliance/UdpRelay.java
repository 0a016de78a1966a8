// SPDX-License-Identifier: Apache-2.0
package quicpool.compliance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A UDP relay on loopback between QUIC clients and one server, to break the path on purpose.
 * Clients send to {@link #address()}; each client address gets its own upstream socket, so the
 * server sees one peer per client socket, as it would without the relay. The {@link Mode} applies
 * to both directions and may change at any time. {@link #rebind()} moves every client to a new
 * upstream socket, as a NAT rebinding does.
 *
 * <p>Threads (named {@code udp-relay-...}, daemons): one for the client side, one per upstream
 * socket, one that sends delayed (reordered) datagrams. {@link #close()} closes every socket and
 * joins them. Drop and reorder decisions come from a {@link Random} with a fixed seed per
 * direction, so a run's pattern repeats as far as thread scheduling lets it.
 */
public final class UdpRelay implements AutoCloseable {
    private static final int MAX_DATAGRAM = 65_535;
    private static final AtomicInteger NUMBER = new AtomicInteger();

    /**
     * What the relay does with each datagram, in both directions.
     *
     * @param dropPercent    datagrams dropped, 0..100
     * @param reorderPercent of those forwarded, datagrams held back a few milliseconds so that
     *                       later ones overtake them, 0..100
     * @param maxPayload     the largest UDP payload passed, 1..65,535 bytes: larger datagrams are
     *                       dropped, as on a path whose MTU is smaller than the sender assumed
     */
    public record Mode(int dropPercent, int reorderPercent, int maxPayload) {
        /** Forwards everything at once, in order. */
        public static final Mode PASS = new Mode(0, 0);
        /** Forwards nothing: the path is silently dead. */
        public static final Mode DROP_ALL = new Mode(100, 0);

        public Mode {
            if (dropPercent < 0 || dropPercent > 100 || reorderPercent < 0 || reorderPercent > 100) {
                throw new IllegalArgumentException("percentages must be 0..100, were drop " + dropPercent
                        + " and reorder " + reorderPercent);
            }
            if (maxPayload < 1 || maxPayload > MAX_DATAGRAM) {
                throw new IllegalArgumentException("maxPayload must be 1.." + MAX_DATAGRAM + " bytes, was " + maxPayload);
            }
        }

        /** Drops {@code dropPercent}% and delays {@code reorderPercent}% of the rest; any size passes. */
        public Mode(int dropPercent, int reorderPercent) {
            this(dropPercent, reorderPercent, MAX_DATAGRAM);
        }

        /** Drops {@code dropPercent}% and delays {@code reorderPercent}% of the rest. */
        public static Mode lossy(int dropPercent, int reorderPercent) {
            return new Mode(dropPercent, reorderPercent);
        }

        /** Drops every datagram whose UDP payload is larger than {@code maxPayload} bytes, passes the rest. */
        public static Mode narrow(int maxPayload) {
            return new Mode(0, 0, maxPayload);
        }
    }

    private final int number = NUMBER.incrementAndGet();
    private final InetSocketAddress server;
    private final InetAddress upstreamAddress;
    private final DatagramSocket front;
    private final Map<SocketAddress, Upstream> upstreams = new ConcurrentHashMap<>();
    /** Upstream sockets replaced by {@link #rebind()}: they still pass the server's datagrams back. */
    private final List<Upstream> retired = new CopyOnWriteArrayList<>();
    /** Upstream sockets whose mapping is gone: what the server sends to them is dropped. */
    private final java.util.Set<Upstream> gone = ConcurrentHashMap.newKeySet();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService delayer;
    private final Random toServerRandom;
    private final Random toClientRandom;
    private final AtomicLong forwarded = new AtomicLong();
    private final AtomicLong fromServer = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong tooLarge = new AtomicLong();
    private final AtomicLong delayed = new AtomicLong();
    private volatile Mode mode = Mode.PASS;
    /** Client datagrams forwarded before the path goes silent; see {@link #silenceAfter}. */
    private volatile long silenceAfter = Long.MAX_VALUE;
    private final AtomicLong fromClients = new AtomicLong();
    private volatile boolean closed;

    /**
     * Binds 127.0.0.1:0 and starts forwarding to {@code server} in {@link Mode#PASS}.
     *
     * @param seed the seed of the drop and reorder decisions
     */
    public UdpRelay(InetSocketAddress server, long seed) {
        this(server, seed, new InetSocketAddress("127.0.0.1", 0).getAddress());
    }

    /**
     * As {@link #UdpRelay(InetSocketAddress, long)}, with the upstream sockets (the clients'
     * addresses as the server sees them) bound to {@code upstreamAddress}, such as 127.0.0.2 to
     * show the server a client of another address than 127.0.0.1. They are bound when a client
     * first sends; where one cannot be, that is logged and the client's datagrams are dropped.
     */
    public UdpRelay(InetSocketAddress server, long seed, InetAddress upstreamAddress) {
        this.server = server;
        this.upstreamAddress = upstreamAddress;
        this.toServerRandom = new Random(seed);
        this.toClientRandom = new Random(seed * 31 + 7);
        try {
            front = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        } catch (SocketException e) {
            throw new UncheckedIOException(e);
        }
        ScheduledThreadPoolExecutor d = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "delay"));
        d.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        delayer = d;
        start(this::clientSide, "front");
    }

    /** Where clients send: 127.0.0.1 and the port the system chose. */
    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", front.getLocalPort());
    }

    /** Applies to every datagram from now on, both ways. */
    public void mode(Mode mode) {
        this.mode = mode;
    }

    /**
     * From now on, forwards only the first {@code clientDatagrams} datagrams clients send (counted
     * since the relay started), and nothing from the server: a client that sends its first flight
     * and vanishes, as the server sees it.
     */
    public void silenceAfter(long clientDatagrams) {
        silenceAfter = clientDatagrams;
    }

    public Mode mode() {
        return mode;
    }

    /**
     * A NAT rebinding: from now on each client's datagrams reach the server from a new source port
     * (a new upstream socket), as when a NAT makes a new mapping. What the server sends to the new
     * port reaches the client, and so does what it still sends to the old one (the old mapping
     * lingers, as NATs keep one until it times out). Clients that first send after this get an
     * upstream socket of their own as usual.
     *
     * @return how many clients were moved
     */
    public int rebind() {
        return rebind(true);
    }

    /**
     * {@link #rebind()}, choosing whether the old mapping still passes what the server sends to it
     * ({@code false}: it is gone, and those datagrams are dropped and counted in {@link #dropped()}).
     */
    public int rebind(boolean oldMappingPasses) {
        int moved = 0;
        for (Map.Entry<SocketAddress, Upstream> e : upstreams.entrySet()) {
            Upstream fresh = newUpstream(e.getKey());
            if (fresh == null) {
                continue;
            }
            if (upstreams.replace(e.getKey(), e.getValue(), fresh)) {
                if (!oldMappingPasses) {
                    gone.add(e.getValue());
                }
                retired.add(e.getValue());
                moved++;
            } else {
                fresh.socket.close();
            }
        }
        return moved;
    }

    /** The source address the server sees for each client now, by the client's address. */
    public Map<SocketAddress, InetSocketAddress> upstreamAddresses() {
        Map<SocketAddress, InetSocketAddress> m = new java.util.HashMap<>();
        upstreams.forEach((client, up) -> m.put(client,
                new InetSocketAddress(upstreamAddress, up.socket.getLocalPort())));
        return m;
    }

    /** Datagrams the server sent to any client through this relay, whatever the mode did with them. */
    public long fromServer() {
        return fromServer.get();
    }

    public long forwarded() {
        return forwarded.get();
    }

    public long dropped() {
        return dropped.get();
    }

    /** Of {@link #dropped()}, the datagrams larger than the mode's {@link Mode#maxPayload()}. */
    public long droppedAsTooLarge() {
        return tooLarge.get();
    }

    public long delayed() {
        return delayed.get();
    }

    private void clientSide() {
        byte[] buf = new byte[MAX_DATAGRAM];
        while (!closed) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                front.receive(p);
                SocketAddress client = p.getSocketAddress();
                if (fromClients.incrementAndGet() > silenceAfter) {
                    dropped.incrementAndGet();
                    continue;
                }
                Upstream up = upstreams.computeIfAbsent(client, this::newUpstream);
                if (up != null) {
                    relay(p, up.socket, server, toServerRandom);
                }
            } catch (IOException e) {
                if (!closed) {
                    System.getLogger("quicpool.compliance.relay").log(System.Logger.Level.DEBUG,
                            "relay client side: " + e);
                }
            }
        }
    }

    private Upstream newUpstream(SocketAddress client) {
        if (closed) {
            return null;
        }
        try {
            DatagramSocket s = new DatagramSocket(new InetSocketAddress(upstreamAddress, 0));
            Upstream up = new Upstream(client, s);
            start(() -> serverSide(up), "up-" + s.getLocalPort());
            return up;
        } catch (SocketException e) {
            System.getLogger("quicpool.compliance.relay").log(System.Logger.Level.WARNING,
                    "relay cannot bind an upstream socket for " + client + ": " + e);
            return null;
        }
    }

    private void serverSide(Upstream up) {
        byte[] buf = new byte[MAX_DATAGRAM];
        while (!closed) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                up.socket.receive(p);
                fromServer.incrementAndGet();
                if (gone.contains(up) || silenceAfter != Long.MAX_VALUE) {
                    dropped.incrementAndGet();
                    continue;
                }
                relay(p, front, up.client, toClientRandom);
            } catch (IOException e) {
                if (!closed && !up.socket.isClosed()) {
                    System.getLogger("quicpool.compliance.relay").log(System.Logger.Level.DEBUG,
                            "relay server side: " + e);
                }
                if (up.socket.isClosed()) {
                    return;
                }
            }
        }
    }

    /** Drops, delays or sends one datagram. */
    private void relay(DatagramPacket p, DatagramSocket out, SocketAddress to, Random random) throws IOException {
        Mode m = mode;
        if (p.getLength() > m.maxPayload()) {
            tooLarge.incrementAndGet();
            dropped.incrementAndGet();
            return;
        }
        if (m.dropPercent() > 0 && random.nextInt(100) < m.dropPercent()) {
            dropped.incrementAndGet();
            return;
        }
        byte[] copy = java.util.Arrays.copyOfRange(p.getData(), p.getOffset(), p.getOffset() + p.getLength());
        if (m.reorderPercent() > 0 && random.nextInt(100) < m.reorderPercent()) {
            long delayMicros = 1_000 + random.nextInt(4_000);
            try {
                delayer.schedule(() -> send(out, copy, to), delayMicros, TimeUnit.MICROSECONDS);
                delayed.incrementAndGet();
            } catch (RejectedExecutionException e) {
                if (!closed) {
                    throw e;
                }
                // close() stopped the delayer while this datagram was being relayed: it goes nowhere
            }
            return;
        }
        send(out, copy, to);
    }

    private void send(DatagramSocket out, byte[] data, SocketAddress to) {
        if (closed) {
            return;
        }
        try {
            out.send(new DatagramPacket(data, data.length, to));
            forwarded.incrementAndGet();
        } catch (IOException e) {
            if (!closed) {
                System.getLogger("quicpool.compliance.relay").log(System.Logger.Level.DEBUG, "relay send: " + e);
            }
        }
    }

    private void start(Runnable loop, String role) {
        Thread t = daemon(loop, role);
        threads.add(t);
        t.start();
    }

    private Thread daemon(Runnable r, String role) {
        Thread t = new Thread(r, "udp-relay-" + number + "-" + role);
        t.setDaemon(true);
        return t;
    }

    /** Closes every socket and waits (bounded) for the relay's threads to end. Idempotent. */
    @Override
    public void close() throws InterruptedException {
        closed = true;
        front.close();
        upstreams.values().forEach(u -> u.socket.close());
        retired.forEach(u -> u.socket.close());
        delayer.shutdownNow();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (Thread t : threads) {
            t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        }
        delayer.awaitTermination(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        // An upstream made while closing is closed here; its thread sees the closed socket and ends.
        upstreams.values().forEach(u -> u.socket.close());
        retired.forEach(u -> u.socket.close());
    }

    @Override
    public String toString() {
        return "UdpRelay " + address() + " -> " + server + " " + mode + ", forwarded " + forwarded + ", dropped "
                + dropped + ", delayed " + delayed;
    }

    private record Upstream(SocketAddress client, DatagramSocket socket) {
    }
}
