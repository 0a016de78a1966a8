// SPDX-License-Identifier: Apache-2.0
package quicpool.core.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import quicpool.api.spi.Admission;

/**
 * A server's admission rules, the allow-list and the connection limits, applied twice: by the
 * transport at a client's first packet ({@link #admits}, before any TLS work), and by the pool
 * when a handshake has completed ({@link #open}), which alone counts connections in. A source
 * whose connections are at a limit is thus refused at its next first packet; connections whose
 * first packets raced past a limit are refused when their handshake completes. The handshakes in
 * progress are counted at the first packet: each admitted source (address and port) not seen yet
 * holds a slot until {@link #handshakeEnded} or its bound has passed (a handshake that ends
 * unreported, e.g. a first flight the stack drops, frees its slot then); a new source finds the
 * slots full only after the expired ones are swept. A late Initial from the source of a connection
 * counted in takes no slot. Thread-safe; {@link #admits} takes no lock.
 */
final class AdmissionControl implements Admission {
    /** Why a client outside the allow-list is refused. */
    static final String UNAUTHORIZED = "unauthorized IP";
    /** Why a client is refused while the server holds its maximum of connections. */
    static final String SERVER_FULL = "too many connections";
    /** Why a client is refused while its address holds its maximum of connections. */
    static final String ADDRESS_FULL = "too many connections from this address";
    /** Why a new source is refused while the server has its maximum of handshakes in progress. */
    static final String HANDSHAKES_FULL = "too many handshakes in progress";

    /** Replaced at run time by {@link #allowList(Predicate)}; read once per check. */
    private volatile Predicate<InetAddress> allowList;
    private final int maxConnections;
    private final int maxPerAddress;
    private final RefusalLog log;
    private final ConcurrentHashMap<InetAddress, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();
    private final LongAdder refusedPackets = new LongAdder();
    private final int maxHandshakes;
    private final long handshakeNanos;
    private final LongSupplier clock;
    /** Sources with a handshake in progress -> when their first packet was admitted ({@link #clock}). */
    private final ConcurrentHashMap<InetSocketAddress, Long> handshakes = new ConcurrentHashMap<>();
    /** Sources of the connections counted in. */
    private final Set<InetSocketAddress> connected = ConcurrentHashMap.newKeySet();

    /**
     * @param maxHandshakes  handshakes in progress at most
     * @param handshakeBound how long a handshake holds its slot at most
     * @param clock          nanoseconds, as {@link System#nanoTime}
     */
    AdmissionControl(Predicate<InetAddress> allowList, int maxConnections, int maxPerAddress, int maxHandshakes,
                     Duration handshakeBound, LongSupplier clock, RefusalLog log) {
        this.allowList = allowList;
        this.maxConnections = maxConnections;
        this.maxPerAddress = maxPerAddress;
        this.maxHandshakes = maxHandshakes;
        this.handshakeNanos = handshakeBound.toNanos();
        this.clock = clock;
        this.log = log;
    }

    /** The transport's check of a client Initial datagram; a refusal is counted and logged (rate-limited). */
    @Override
    public boolean admits(InetSocketAddress source) {
        String why = refusal(source.getAddress());
        if (why == null) {
            why = handshakeSlot(source);
        }
        if (why == null) {
            return true;
        }
        refusedPackets.increment();
        log.refused(source, why);
        return false;
    }

    private String refusal(InetAddress client) {
        if (!allowList.test(client)) {
            return UNAUTHORIZED;
        }
        if (total.get() >= maxConnections) {
            return SERVER_FULL;
        }
        AtomicInteger n = perAddress.get(client);
        return n != null && n.get() >= maxPerAddress ? ADDRESS_FULL : null;
    }

    /** Null when {@code source} has or gets a handshake slot, else why not. */
    private String handshakeSlot(InetSocketAddress source) {
        if (handshakes.containsKey(source) || connected.contains(source)) {
            return null; // another datagram of a handshake in progress, or a late one of a completed handshake
        }
        if (handshakes.size() >= maxHandshakes) {
            long now = clock.getAsLong();
            handshakes.values().removeIf(started -> now - started >= handshakeNanos);
            if (handshakes.size() >= maxHandshakes) {
                return HANDSHAKES_FULL;
            }
        }
        handshakes.putIfAbsent(source, clock.getAsLong());
        return null;
    }

    /** The handshake of {@code source} completed or failed: its slot is free. */
    void handshakeEnded(InetSocketAddress source) {
        handshakes.remove(source);
    }

    /** Sources holding a handshake slot, expired ones included until the next sweep. */
    int handshakesInProgress() {
        return handshakes.size();
    }

    /**
     * A handshake with {@code client} completed: counts the connection in and returns null, or
     * returns why it is refused (then it is not counted, and the caller closes it with that reason).
     * A refusal is logged (rate-limited), not counted here.
     */
    String open(InetSocketAddress client) {
        InetAddress address = client.getAddress();
        String why = null;
        if (!allowList.test(address)) {
            why = UNAUTHORIZED;
        } else if (total.incrementAndGet() > maxConnections) {
            total.decrementAndGet();
            why = SERVER_FULL;
        } else if (!countIn(address)) {
            total.decrementAndGet();
            why = ADDRESS_FULL;
        }
        if (why != null) {
            log.refused(client, why);
        } else {
            connected.add(client);
        }
        return why;
    }

    private boolean countIn(InetAddress address) {
        boolean[] counted = new boolean[1];
        perAddress.compute(address, (a, n) -> {
            AtomicInteger count = n == null ? new AtomicInteger() : n;
            if (count.get() < maxPerAddress) {
                count.incrementAndGet();
                counted[0] = true;
            }
            return count.get() == 0 ? null : count;
        });
        return counted[0];
    }

    /** A connection {@link #open} counted in has ended. */
    void closed(InetSocketAddress client) {
        connected.remove(client);
        total.decrementAndGet();
        perAddress.computeIfPresent(client.getAddress(), (a, n) -> n.decrementAndGet() == 0 ? null : n);
    }

    /**
     * Replaces the allow-list: the next first packet and the next completed handshake are judged
     * by {@code allowed}. Connections already counted in are the caller's to close.
     */
    void allowList(Predicate<InetAddress> allowed) {
        this.allowList = allowed;
    }

    /** True if the allow-list in force now admits {@code client}; the connection limits are not consulted. */
    boolean allows(InetAddress client) {
        return allowList.test(client);
    }

    /** Client Initial datagrams refused by {@link #admits} since start. */
    long refusedPackets() {
        return refusedPackets.sum();
    }

    /** Connections counted in and not yet closed. */
    int connections() {
        return total.get();
    }

    /** Writes the refusals not yet logged. */
    void flushLog() {
        log.flush();
    }
}
