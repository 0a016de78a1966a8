// SPDX-License-Identifier: Apache-2.0
package quicpool.compliance;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import quicpool.api.spi.QuicSettings;
import quicpool.api.spi.QuicTransport;

/**
 * A client's real first datagram (its first Initial packet, decryptable by any server), caught by
 * a UDP socket that plays the server and never answers: for replaying it from another socket.
 */
final class CapturedInitial {
    private static final int RECEIVE_TIMEOUT_MILLIS = 15_000;

    private CapturedInitial() {
    }

    /**
     * Dials a silent socket with {@code transport}'s client on one of {@code workers} and returns
     * the first datagram the client sends, once the dial has failed at its connect timeout (2 s).
     *
     * @throws IOException if no datagram arrives within 15 s, or the dial does not end within 15 s (a first dial in a JVM loads the client stack)
     */
    static byte[] capture(QuicTransport transport, ExecutorService workers) throws IOException {
        try (DatagramSocket trap = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            trap.setSoTimeout(RECEIVE_TIMEOUT_MILLIS);
            InetSocketAddress address = (InetSocketAddress) trap.getLocalSocketAddress();
            Future<?> dial = workers.submit(() -> RawPeers.dial(transport, address, QuicSettings.ALPN));
            DatagramPacket first = new DatagramPacket(new byte[2048], 2048);
            try {
                trap.receive(first);
            } catch (SocketTimeoutException e) {
                throw new IOException("no datagram from the client within " + RECEIVE_TIMEOUT_MILLIS + " ms; its dial: "
                        + outcome(dial), e);
            }
            awaitEnd(dial);
            return Arrays.copyOf(first.getData(), first.getLength());
        }
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
