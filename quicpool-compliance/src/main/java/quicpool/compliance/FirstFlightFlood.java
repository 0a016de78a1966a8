// SPDX-License-Identifier: Apache-2.0
package quicpool.compliance;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Clients that send their first flight and never another packet: real first flights ({@link
 * CapturedInitial}) replayed at a server from sockets of one address, each socket a client port of
 * its own; and a count of the sockets the server answered. Used by one thread at a time; {@link
 * #close()} closes the sockets.
 */
final class FirstFlightFlood implements AutoCloseable {
    private final List<DatagramChannel> sockets = new ArrayList<>();
    private final boolean[] answered;

    /** Opens {@code ports} sockets on {@code from}, on ports the system chooses. */
    FirstFlightFlood(InetAddress from, int ports) throws IOException {
        try {
            for (int i = 0; i < ports; i++) {
                sockets.add(DatagramChannel.open().bind(new InetSocketAddress(from, 0)));
            }
        } catch (IOException e) {
            close();
            throw e;
        }
        answered = new boolean[ports];
    }

    /**
     * Sends {@code datagrams} datagrams to {@code server}, the i-th from socket i mod ports with
     * flight i mod {@code flights.size()}, {@code perMillisecond} per millisecond at most, until
     * done or {@code stop}; returns how many it sent.
     */
    int send(List<byte[]> flights, int datagrams, int perMillisecond, InetSocketAddress server, AtomicBoolean stop)
            throws IOException {
        int sent = 0;
        while (!stop.get() && sent < datagrams) {
            sockets.get(sent % sockets.size()).send(ByteBuffer.wrap(flights.get(sent % flights.size())), server);
            if (++sent % perMillisecond == 0) {
                LockSupport.parkNanos(1_000_000); // pacing, not waiting for anything
            }
        }
        return sent;
    }

    /**
     * The sockets that have received a datagram (from the server: nobody else knows them) so far,
     * read without waiting; the sockets send nothing more once this was called.
     */
    int answered() throws IOException {
        ByteBuffer in = ByteBuffer.allocate(2048);
        int count = 0;
        for (int i = 0; i < sockets.size(); i++) {
            DatagramChannel socket = sockets.get(i);
            if (socket.isBlocking()) {
                socket.configureBlocking(false);
            }
            if (!answered[i] && socket.receive(in) != null) {
                answered[i] = true;
            }
            in.clear();
            count += answered[i] ? 1 : 0;
        }
        return count;
    }

    @Override
    public void close() {
        for (DatagramChannel socket : sockets) {
            try {
                socket.close();
            } catch (IOException e) {
                System.getLogger("quicpool.compliance").log(System.Logger.Level.WARNING, "closing a flood socket", e);
            }
        }
    }
}
