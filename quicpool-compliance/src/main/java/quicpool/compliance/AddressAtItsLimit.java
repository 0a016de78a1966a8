// SPDX-License-Identifier: Apache-2.0
package quicpool.compliance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import quicpool.api.ServerPool;
import quicpool.api.spi.QuicSettings;
import quicpool.api.spi.QuicTransport;
import quicpool.api.spi.TransportConnection;

/**
 * A connection flood from one address past its limit for {@link TransportFloodKit}: {@value
 * #FLIGHTS} real first flights of {@code transport}'s client are captured before the pools start
 * (once per JVM, shared with {@link AbandonedHandshakes}); before the quiet phase, the address
 * opens {@value #LIMIT} connections (the server's {@code maxConnectionsPerAddress}) through a
 * {@link UdpRelay} bound to it; the flood replays the flights in turn from {@value #PORTS} ports
 * of that address, {@value #PER_MILLISECOND} per millisecond, {@value #DATAGRAMS} in all. Each is
 * a client the server would answer were the address below its limit; the server must refuse them
 * all at admission. For {@value #WATCH_MILLIS} ms after the last one it watches that none was
 * answered (a handshake begun answers at once) and the server holds no more connections.
 */
final class AddressAtItsLimit implements TransportFloodKit.Source {
    /** The server's {@code maxConnectionsPerAddress}. */
    static final int LIMIT = 2;
    /** Distinct first flights, replayed in turn: those of {@link AbandonedHandshakes}, captured once. */
    static final int FLIGHTS = AbandonedHandshakes.FLIGHTS;
    /** Ports of the address that send them. */
    static final int PORTS = 64;
    /** First flights sent in all. */
    static final int DATAGRAMS = 5_000;
    /** The flood's pace, as the kit's other floods. */
    static final int PER_MILLISECOND = 10;
    /** How long after the last flight the server's answers and connections are watched. */
    static final int WATCH_MILLIS = 500;
    /** Bound on the server's count of the address's connections reaching (or, at the end, leaving) it. */
    private static final Duration HELD = Duration.ofSeconds(5);

    private final QuicTransport transport;
    private final InetAddress from;
    private final List<TransportConnection> held = new CopyOnWriteArrayList<>();
    private volatile UdpRelay relay;
    private volatile ServerPool server;
    private volatile int connectionsBefore;
    private List<byte[]> flights;
    private volatile FirstFlightFlood flood;

    /**
     * @param transport the transport of the address's connections and first flights
     * @param from      the flooding address, not the good client's
     */
    AddressAtItsLimit(QuicTransport transport, InetAddress from) {
        this.transport = transport;
        this.from = from;
    }

    @Override
    public void beforePools() throws Exception {
        flights = AbandonedHandshakes.flights(transport);
    }

    @Override
    public void prepare(ServerPool server) throws Exception {
        this.server = server;
        connectionsBefore = server.stats().connections();
        relay = new UdpRelay(server.localAddress(), 3, from);
        holdTheLimit(server);
    }

    /**
     * Dials through the relay until {@value #LIMIT} of the address's connections are open (one
     * that ended, a keep-alive given up on a loaded machine, is replaced), and the server holds
     * them.
     */
    private void holdTheLimit(ServerPool server) throws Exception {
        held.removeIf(c -> !c.isOpen());
        while (held.size() < LIMIT) {
            held.add(RawPeers.dial(transport, relay.address(), QuicSettings.ALPN));
        }
        Conditions.await("the server holds " + LIMIT + " connections from " + from.getHostAddress(), HELD,
                () -> server.stats().connections() >= connectionsBefore + LIMIT, server::stats);
    }

    @Override
    public int run(ServerPool server, AtomicBoolean stop) throws Exception {
        holdTheLimit(server);
        flood = new FirstFlightFlood(from, PORTS);
        int connections = server.stats().connections();
        int sent = flood.send(flights, DATAGRAMS, PER_MILLISECOND, server.localAddress(), stop);
        Conditions.holdsFor("no flood port answered (no handshake begun), no connection more than before the flood",
                Duration.ofMillis(WATCH_MILLIS), () -> unanswered() && server.stats().connections() <= connections,
                () -> server.stats() + ", flood ports answered " + answeredOrFailure() + ", the address's connections"
                        + " open " + held.stream().filter(TransportConnection::isOpen).count());
        return sent;
    }

    private boolean unanswered() {
        try {
            return flood.answered() == 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String answeredOrFailure() {
        try {
            return String.valueOf(flood.answered());
        } catch (IOException e) {
            return e.toString();
        }
    }

    /**
     * Closes the address's connections, waits until the server has seen them end (their closes
     * pass the relay), then closes the relay and the flood's sockets.
     */
    @Override
    public void close() throws Exception {
        try {
            for (TransportConnection c : held) {
                c.close(0, "flood over");
            }
            if (server != null && !held.isEmpty()) {
                ServerPool s = server;
                Conditions.await("the server saw the address's connections end", HELD,
                        () -> s.stats().connections() <= connectionsBefore, s::stats);
            }
        } finally {
            held.clear();
            if (flood != null) {
                flood.close();
            }
            if (relay != null) {
                relay.close();
            }
        }
    }
}
