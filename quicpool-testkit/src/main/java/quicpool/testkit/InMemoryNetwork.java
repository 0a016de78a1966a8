// SPDX-License-Identifier: Apache-2.0
package quicpool.testkit;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The address space that {@link InMemoryTransport}s dial and listen in: listeners by port, the
 * live connections, and the few daemon threads that run the transports' callbacks.
 *
 * <p>{@link #shared()} is the JVM-wide network of every {@code new InMemoryTransport()} (and so of
 * the transport that {@link java.util.ServiceLoader} finds as {@code "in-memory"}); tests that
 * want isolation make their own. A port is taken for every address at once: two listeners never
 * share a port, whatever their addresses.
 *
 * <p>Threads: callbacks ({@code ConnectionHandler}, {@code StreamHandler}, {@code onClose}) run
 * on at most {@value #THREADS} daemon threads named {@code quicpool-inmem-<network>-<n>}, one
 * connection side's callbacks at a time and in order. Idle threads end after one second, so a
 * network needs no closing.
 */
public final class InMemoryNetwork {
    private static final int THREADS = 4;
    private static final int FIRST_LISTEN_PORT = 20000;
    private static final int FIRST_CLIENT_PORT = 49152;
    private static final AtomicInteger NETWORKS = new AtomicInteger();
    private static final InMemoryNetwork SHARED = new InMemoryNetwork();

    private final int id = NETWORKS.incrementAndGet();
    private final ConcurrentHashMap<Integer, InMemoryListener> listeners = new ConcurrentHashMap<>();
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final AtomicInteger nextListenPort = new AtomicInteger(FIRST_LISTEN_PORT);
    private final AtomicInteger nextClientPort = new AtomicInteger(FIRST_CLIENT_PORT);
    private final ThreadPoolExecutor executor;
    private volatile InetAddress clientAddress = InetAddress.getLoopbackAddress();

    /** A new, empty network. */
    public InMemoryNetwork() {
        AtomicInteger threads = new AtomicInteger();
        executor = new ThreadPoolExecutor(THREADS, THREADS, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "quicpool-inmem-" + id + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        executor.allowCoreThreadTimeOut(true);
    }

    /** The JVM-wide network of {@link InMemoryTransport#InMemoryTransport()}. */
    public static InMemoryNetwork shared() {
        return SHARED;
    }

    /**
     * Sets the address that dials appear to come from when their transport sets none ({@link
     * InMemoryTransport#clientAddress(InetAddress)}); the loopback address by default.
     *
     * @return this network
     */
    public InMemoryNetwork clientAddress(InetAddress address) {
        clientAddress = Objects.requireNonNull(address, "address");
        return this;
    }

    /** The address dials appear to come from when their transport sets none. */
    public InetAddress clientAddress() {
        return clientAddress;
    }

    /** Connections of this network that have not ended. */
    public int liveConnections() {
        return links.size();
    }

    /**
     * Ends every live connection of this network as if the network died: both sides see their
     * connection end with reason {@code "killed"}, and every stream fails.
     *
     * @return how many connections were ended
     */
    public int killConnections() {
        return killAll(links);
    }

    static int killAll(Set<Link> links) {
        List<Link> snapshot = List.copyOf(links);
        int killed = 0;
        for (Link link : snapshot) {
            if (link.kill()) {
                killed++;
            }
        }
        return killed;
    }

    @Override
    public String toString() {
        return "InMemoryNetwork#" + id + "[listeners=" + listeners.size() + ", connections=" + links.size() + "]";
    }

    int id() {
        return id;
    }

    Executor executor() {
        return executor;
    }

    /** Registers a listener; port 0 picks a free one. */
    InMemoryListener bind(InetSocketAddress requested, ListenerFactory factory) throws IOException {
        if (requested.isUnresolved()) {
            throw new IOException("cannot bind unresolved address " + requested);
        }
        InetAddress ip = requested.getAddress();
        if (requested.getPort() != 0) {
            InMemoryListener created = factory.create(new InetSocketAddress(ip, requested.getPort()));
            if (listeners.putIfAbsent(requested.getPort(), created) != null) {
                throw new BindException("address already in use: port " + requested.getPort()
                        + " is taken on in-memory network #" + id);
            }
            return created;
        }
        for (int attempt = 0; attempt < 65536 - FIRST_LISTEN_PORT; attempt++) {
            int port = nextListenPort.getAndUpdate(p -> p >= FIRST_CLIENT_PORT - 1 ? FIRST_LISTEN_PORT : p + 1);
            if (!listeners.containsKey(port)) {
                InMemoryListener created = factory.create(new InetSocketAddress(ip, port));
                if (listeners.putIfAbsent(port, created) == null) {
                    return created;
                }
            }
        }
        throw new BindException("no free port left on in-memory network #" + id);
    }

    void unbind(InMemoryListener listener) {
        listeners.remove(listener.localAddress().getPort(), listener);
    }

    /** The listener a dial to {@code remote} reaches. */
    InMemoryListener find(InetSocketAddress remote) throws ConnectException {
        InMemoryListener listener = remote.isUnresolved() ? null : listeners.get(remote.getPort());
        if (listener == null || !listener.accepts(remote.getAddress())) {
            throw new ConnectException("connection refused: no in-memory listener at " + remote
                    + " on network #" + id);
        }
        return listener;
    }

    int allocateClientPort() {
        return nextClientPort.getAndUpdate(p -> p >= 65535 ? FIRST_CLIENT_PORT : p + 1);
    }

    void added(Link link) {
        links.add(link);
    }

    void removed(Link link) {
        links.remove(link);
    }

    /** Makes a listener once its address is known. */
    @FunctionalInterface
    interface ListenerFactory {
        InMemoryListener create(InetSocketAddress address);
    }
}
