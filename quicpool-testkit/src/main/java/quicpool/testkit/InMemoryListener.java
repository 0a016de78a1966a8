// SPDX-License-Identifier: Apache-2.0
package quicpool.testkit;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import quicpool.api.spi.ConnectionHandler;
import quicpool.api.spi.QuicSettings;
import quicpool.api.spi.TransportConnection;
import quicpool.api.spi.TransportListener;

/**
 * A listener of an {@link InMemoryTransport}. Besides the SPI it lists the server sides of its
 * live connections, so tests can close or inspect them.
 */
public final class InMemoryListener implements TransportListener {
    private final InMemoryNetwork network;
    private final InMemoryTransport transport;
    private final InetSocketAddress address;
    private final List<X509Certificate> chain;
    private final QuicSettings settings;
    private final ConnectionHandler handler;
    private final Set<InMemoryConnection> connections = ConcurrentHashMap.newKeySet();
    private volatile boolean open = true;

    InMemoryListener(InMemoryNetwork network, InMemoryTransport transport, InetSocketAddress address,
                     List<X509Certificate> chain, QuicSettings settings, ConnectionHandler handler) {
        this.network = network;
        this.transport = transport;
        this.address = address;
        this.chain = List.copyOf(chain);
        this.settings = settings;
        this.handler = handler;
    }

    /** The bound address: the requested address with the chosen port. */
    @Override
    public InetSocketAddress localAddress() {
        return address;
    }

    /** The server sides of this listener's connections that have not ended, in no order. */
    public List<TransportConnection> connections() {
        return new ArrayList<>(connections);
    }

    /** False once closed. */
    public boolean isOpen() {
        return open;
    }

    /** Unregisters the address: later dials are refused. Connections already made live on. */
    @Override
    public void close() {
        open = false;
        network.unbind(this);
    }

    @Override
    public String toString() {
        return "InMemoryListener[" + address + (open ? "" : ", closed") + ", connections=" + connections.size() + "]";
    }

    boolean accepts(InetAddress ip) {
        return open && (address.getAddress().isAnyLocalAddress() || address.getAddress().equals(ip));
    }

    InMemoryTransport transport() {
        return transport;
    }

    List<X509Certificate> chain() {
        return chain;
    }

    QuicSettings settings() {
        return settings;
    }

    ConnectionHandler handler() {
        return handler;
    }

    /** Tracks a new server side; false when the listener closed meanwhile. */
    boolean added(InMemoryConnection server) {
        connections.add(server);
        if (!open) {
            connections.remove(server);
            return false;
        }
        return true;
    }

    void removed(InMemoryConnection server) {
        connections.remove(server);
    }
}
