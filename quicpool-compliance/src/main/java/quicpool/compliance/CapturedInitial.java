// SPDX-License-Identifier: Apache-2.0
package quicpool.compliance;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import quicpool.api.spi.QuicSettings;
import quicpool.api.spi.QuicTransport;

/**
 * Clients' real first datagrams (their first Initial packets, decryptable by any server), caught
 * by a UDP socket that plays the server and never answers: for replaying them from other sockets.
 */
final class CapturedInitial {
    private static final int RECEIVE_TIMEOUT_MILLIS = 15_000;
    /** How often {@link #captureMany} looks whether a round of dials has ended. */
    private static final int ROUND_POLL_MILLIS = 100;
    /** The trap's receive buffer: room for the first flights and retransmissions of many clients at once. */
    private static final int TRAP_BUFFER = 4 << 20;
    /** {@link #captureManyShared}'s captures, by transport name and count. */
    private static final Map<String, List<byte[]>> SHARED = new ConcurrentHashMap<>();

    private CapturedInitial() {
    }

    /**
     * Dials a silent socket with {@code transport}'s client on one of {@code workers} and returns
     * the first datagram the client sends, once the dial has failed at its connect timeout (2 s).
     *
     * @throws IOException if no datagram arrives within 15 s, or the dial does not end within 15 s (a first dial in a JVM loads the client stack)
     */
    static byte[] capture(QuicTransport transport, ExecutorService workers) throws IOException {
        return captureMany(transport, workers, 1, Duration.ofSeconds(2)).get(0);
    }

    /**
     * Dials a silent socket {@code count} times at once with {@code transport}'s client, each dial
     * on one of {@code workers}, and returns the first datagram of each client, once every dial
     * has failed at its {@code connectTimeout}. Each dial chooses a destination connection ID of
     * its own, which tells its datagrams from the others' (and its retransmissions from a first
     * flight), so each datagram returned is a first flight that a server takes for a handshake of
     * its own. A dial that ends before its first datagram arrived (a loaded machine) is made up
     * for by another, once the dials of a round have all ended.
     *
     * @throws IOException if fewer than {@code count} first flights arrive within 15 s, or a dial does not end within 15 s
     */
    static List<byte[]> captureMany(QuicTransport transport, ExecutorService workers, int count,
                                    Duration connectTimeout) throws IOException {
        try (DatagramSocket trap = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            trap.setReceiveBufferSize(TRAP_BUFFER);
            InetSocketAddress address = (InetSocketAddress) trap.getLocalSocketAddress();
            List<Future<?>> dials = new ArrayList<>();
            Map<ByteBuffer, byte[]> firsts = new LinkedHashMap<>();
            DatagramPacket in = new DatagramPacket(new byte[2048], 2048);
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RECEIVE_TIMEOUT_MILLIS);
            while (firsts.size() < count) {
                if (dials.stream().allMatch(Future::isDone)) {
                    for (int i = firsts.size(); i < count; i++) {
                        dials.add(workers.submit(() -> RawPeers.dial(transport, address, QuicSettings.ALPN,
                                connectTimeout)));
                    }
                }
                long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
                if (left <= 0) {
                    throw new IOException(firsts.size() + " of " + count + " clients' first datagrams within "
                            + RECEIVE_TIMEOUT_MILLIS + " ms (" + dials.size() + " dials); the first dial: "
                            + outcome(dials.get(0)));
                }
                trap.setSoTimeout((int) Math.min(left, ROUND_POLL_MILLIS));
                try {
                    trap.receive(in);
                } catch (SocketTimeoutException e) {
                    continue; // nothing within the poll: look whether the round's dials have ended
                }
                byte[] id = LongHeaders.destinationId(in.getData(), in.getLength());
                if (id != null) {
                    firsts.putIfAbsent(ByteBuffer.wrap(id), Arrays.copyOf(in.getData(), in.getLength()));
                }
            }
            for (Future<?> dial : dials) {
                awaitEnd(dial);
            }
            return List.copyOf(firsts.values());
        }
    }

    /**
     * As {@link #captureMany}, but captured once per transport name and count in this JVM, then
     * shared: a first flight replayed again is as good as a new one to a server that has not seen
     * it, and a capture costs seconds. The arrays returned must not be changed.
     */
    static List<byte[]> captureManyShared(QuicTransport transport, ExecutorService workers, int count,
                                          Duration connectTimeout) throws IOException {
        String key = transport.name() + "/" + count;
        List<byte[]> known = SHARED.get(key);
        if (known == null) {
            known = captureMany(transport, workers, count, connectTimeout);
            SHARED.putIfAbsent(key, known);
        }
        return known;
    }

    /**
     * Lets the dial end at its own connect timeout rather than interrupting it, so that no client
     * stack sees a cancelled connect (Netty's logs an IllegalStateException for one).
     */
    private static void awaitEnd(Future<?> dial) throws IOException {
        try {
            dial.get(RECEIVE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof IOException)) { // an IOException is expected: nobody answers
                throw new IOException("the capturing dial failed otherwise than a dial does", e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the capturing dial ran", e);
        } catch (TimeoutException e) {
            throw new IOException("the capturing dial outlived its connect timeout by far", e);
        }
    }

    private static String outcome(Future<?> dial) {
        if (!dial.isDone()) {
            return "still running";
        }
        try {
            dial.get();
            return "connected";
        } catch (ExecutionException e) {
            return "failed: " + e.getCause();
        } catch (InterruptedException | CancellationException e) {
            return e.toString();
        }
    }
}
