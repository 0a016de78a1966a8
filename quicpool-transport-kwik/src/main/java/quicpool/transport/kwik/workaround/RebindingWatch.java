// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik.workaround;

import java.net.DatagramPacket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Ends a server connection whose client has moved to another address, as a NAT rebinding moves it,
 * which Kwik 0.10.8's server cannot follow.
 *
 * <p>Why: Kwik 0.10.8's server drops every datagram of a connection that does not come from the
 * client's first address ({@code ClientAddressFilter}, with no setting to change it; it also
 * announces {@code disable_active_migration}), and goes on sending to that first address. After a
 * NAT rebinding the connection is therefore dead one way: the server hears nothing more, but until
 * its idle timeout it hands out its streams, and its retransmissions, sent to the old address, may
 * still reach the client (a NAT keeps an old mapping for a while), which then hands out streams on
 * a path that carries nothing to the server.
 *
 * <p>What it does: it sees every datagram the listener's socket receives. It learns the server's
 * connection IDs each accepted connection's client uses (the destination ID of its short-header
 * packets, {@code idLength} bytes), and when a short-header packet with such an ID comes from
 * another address while the client's own address has been silent for {@code quiet}, it ends that
 * connection. Kwik then sends its CONNECTION_CLOSE to the old address, which reaches the client if
 * the old mapping still passes it, and the pools on both ends evict the connection's streams and
 * the client redials. The silence guards against a packet of the connection replayed from
 * elsewhere: a live client on its old address keeps talking (a pool client at least every
 * keep-alive period, a third of the idle timeout), so such a replay ends nothing.
 *
 * <p>The check runs on Kwik's receiving thread, allocates only for short-header packets from an
 * address that is not an accepted client's, and ends connections on a daemon thread of its own
 * (started on demand, gone one idle second later).
 */
public final class RebindingWatch {

    private static final System.Logger LOG = System.getLogger("quicpool.transport.kwik");
    /** How many connection IDs of one client it remembers (Kwik issues a few per connection). */
    private static final int MAX_IDS = 8;
    private static final ScheduledThreadPoolExecutor SCHEDULER = scheduler();

    private final int idLength;
    private final long quietNanos;
    private final Map<SocketAddress, Client> byAddress = new ConcurrentHashMap<>();
    private final Map<ByteBuffer, Client> byId = new ConcurrentHashMap<>();

    /**
     * @param idLength the length of the server's connection IDs
     * @param quiet    how long a client's address must have been silent before a packet of its
     *                 connection from another address ends the connection
     */
    public RebindingWatch(int idLength, Duration quiet) {
        this.idLength = idLength;
        this.quietNanos = quiet.toNanos();
    }

    private static ScheduledThreadPoolExecutor scheduler() {
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, task -> {
            Thread t = new Thread(task, "quicpool-kwik-rebinding");
            t.setDaemon(true);
            return t;
        });
        s.setRemoveOnCancelPolicy(true);
        s.setKeepAliveTime(1, TimeUnit.SECONDS);
        s.allowCoreThreadTimeOut(true);
        return s;
    }

    /**
     * Watches an accepted connection's client.
     *
     * @param end ends the connection, with the reason given; run on the watch's own thread
     * @return stops watching; run it when the connection ends
     */
    public Runnable track(InetSocketAddress client, Consumer<String> end) {
        Client c = new Client(client, end, System.nanoTime());
        byAddress.put(client, c);
        return () -> forget(c);
    }

    private void forget(Client c) {
        c.ended.set(true);
        byAddress.remove(c.address, c);
        for (ByteBuffer id : c.ids) {
            byId.remove(id, c);
        }
    }

    /** Sees one received datagram; never throws. */
    void received(DatagramPacket datagram) {
        byte[] data = datagram.getData();
        int offset = datagram.getOffset();
        int length = datagram.getLength();
        boolean shortHeader = length > 1 + idLength && (data[offset] & 0xc0) == 0x40;
        SocketAddress from = datagram.getSocketAddress();
        Client known = byAddress.get(from);
        long now = System.nanoTime();
        if (known != null) {
            known.lastHeard = now;
            if (shortHeader) {
                known.learn(data, offset + 1);
            }
            return;
        }
        if (!shortHeader || byId.isEmpty()) {
            return;
        }
        Client moved = byId.get(ByteBuffer.wrap(data, offset + 1, idLength));
        if (moved == null || moved.ended.get()) {
            return;
        }
        moved.movedTo = (InetSocketAddress) from;
        moved.movedAt = now;
        check(moved);
    }

    /** Ends the connection if its client's address has been quiet long enough since it was heard from elsewhere. */
    private void check(Client c) {
        long lastHeard = c.lastHeard;
        long movedAt = c.movedAt;
        if (c.movedTo == null || movedAt - lastHeard < 0 || c.ended.get()) {
            return; // the old address spoke again after the packet from elsewhere
        }
        long wait = lastHeard + quietNanos - System.nanoTime();
        if (wait > 0) {
            if (c.checkScheduled.compareAndSet(false, true)) {
                SCHEDULER.schedule(() -> {
                    c.checkScheduled.set(false);
                    check(c);
                }, wait, TimeUnit.NANOSECONDS);
            }
            return;
        }
        if (c.ended.compareAndSet(false, true)) {
            InetSocketAddress to = c.movedTo;
            long silentMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastHeard);
            String reason = "the client moved from " + c.address + " to " + to + " (a NAT rebinding?), silent on "
                    + c.address + " for " + silentMillis + " ms; Kwik's server cannot follow a client to a new address";
            LOG.log(System.Logger.Level.INFO, () -> "ending the connection: " + reason);
            SCHEDULER.execute(() -> {
                try {
                    c.end.accept(reason);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "failed to end the connection of " + c.address, e);
                }
            });
        }
    }

    /** An accepted connection's client: its address, the server IDs it used, when it was last heard. */
    private final class Client {
        final InetSocketAddress address;
        final Consumer<String> end;
        final Set<ByteBuffer> ids = ConcurrentHashMap.newKeySet();
        final AtomicBoolean ended = new AtomicBoolean();
        final AtomicBoolean checkScheduled = new AtomicBoolean();
        volatile long lastHeard;
        volatile byte[] lastId;
        volatile InetSocketAddress movedTo;
        volatile long movedAt;

        Client(InetSocketAddress address, Consumer<String> end, long now) {
            this.address = address;
            this.end = end;
            this.lastHeard = now;
        }

        /** Remembers the destination ID at {@code from}, allocating only when it is new. */
        void learn(byte[] data, int from) {
            byte[] last = lastId;
            if (last != null && Arrays.equals(last, 0, idLength, data, from, from + idLength)) {
                return;
            }
            byte[] id = Arrays.copyOfRange(data, from, from + idLength);
            lastId = id;
            ByteBuffer key = ByteBuffer.wrap(id);
            if (ids.size() < MAX_IDS && ids.add(key)) {
                byId.put(key, this);
            }
        }
    }
}
