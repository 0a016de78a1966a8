// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik.workaround;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * When the listener's socket ends a connection whose client moved (a NAT rebinding): only for a
 * short-header packet carrying a server connection ID the client used, from another address, and
 * only once the client's own address has been silent for the quiet time.
 */
@Timeout(10)
class RebindingWatchTest {

    private static final int ID_LENGTH = 8;
    private static final InetSocketAddress OLD = new InetSocketAddress("127.0.0.1", 40001);
    private static final InetSocketAddress NEW = new InetSocketAddress("127.0.0.1", 40002);
    private static final InetSocketAddress OTHER = new InetSocketAddress("127.0.0.1", 40003);

    @Test
    void endsTheConnectionOnceTheOldAddressHasBeenQuietAfterAPacketFromElsewhere() throws Exception {
        Duration quiet = Duration.ofMillis(200);
        RebindingWatch watch = new RebindingWatch(ID_LENGTH, quiet);
        CompletableFuture<String> ended = new CompletableFuture<>();
        watch.track(OLD, ended::complete);

        long lastFromOld = System.nanoTime();
        watch.received(shortHeader(1, OLD));
        watch.received(shortHeader(1, NEW));

        String reason = ended.get(5, TimeUnit.SECONDS);
        long after = System.nanoTime() - lastFromOld;
        assertThat(reason).contains("moved from " + OLD + " to " + NEW);
        assertThat(Duration.ofNanos(after)).as("ended no sooner than the quiet time").isGreaterThanOrEqualTo(quiet);
    }

    @Test
    void aPacketFromElsewhereEndsNothingWhileTheClientGoesOnTalking() throws Exception {
        RebindingWatch watch = new RebindingWatch(ID_LENGTH, Duration.ofMillis(300));
        CompletableFuture<String> ended = new CompletableFuture<>();
        watch.track(OLD, ended::complete);

        watch.received(shortHeader(1, OLD));
        watch.received(shortHeader(1, NEW)); // a packet of the connection replayed from elsewhere
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(900);
        while (System.nanoTime() - end < 0) {
            watch.received(shortHeader(1, OLD)); // the client keeps talking on its address
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50)); // pacing, not synchronisation
        }
        assertThat(ended.isDone()).as("ended while the client talked on its address").isFalse();
        // A later move, with nothing from the old address after it, still ends the connection.
        watch.received(shortHeader(1, NEW));
        assertThat(ended.get(5, TimeUnit.SECONDS)).contains("moved from " + OLD);
    }

    @Test
    void unknownIdsLongHeadersAndForgottenConnectionsEndNothing() throws Exception {
        RebindingWatch watch = new RebindingWatch(ID_LENGTH, Duration.ZERO);
        CompletableFuture<String> forgotten = new CompletableFuture<>();
        CompletableFuture<String> untouched = new CompletableFuture<>();
        CompletableFuture<String> control = new CompletableFuture<>();
        Runnable forget = watch.track(OLD, forgotten::complete);
        watch.track(OTHER, untouched::complete);
        InetSocketAddress controlAddress = new InetSocketAddress("127.0.0.1", 40004);
        watch.track(controlAddress, control::complete);
        watch.received(shortHeader(1, OLD));
        watch.received(shortHeader(2, OTHER));
        watch.received(shortHeader(3, controlAddress));
        forget.run();

        watch.received(shortHeader(1, NEW));              // the ID of a connection that ended
        watch.received(shortHeader(9, NEW));              // an ID no client used
        byte[] longHeader = shortHeader(2, NEW).getData();
        longHeader[0] = (byte) 0xc0;                      // a long header carrying OTHER's ID bytes
        watch.received(packet(longHeader, NEW));
        watch.received(packet(new byte[] {0x40, 2, 2}, NEW)); // too short to hold an ID
        watch.received(shortHeader(3, NEW));              // the control: moved, ends at once

        assertThat(control.get(5, TimeUnit.SECONDS)).contains("moved from " + controlAddress);
        // Ends run in order on one thread: any end due before the control's has run by now.
        assertThat(forgotten.isDone()).as("a forgotten connection ended").isFalse();
        assertThat(untouched.isDone()).as("a connection ended by a packet that was not its").isFalse();
    }

    /** A short-header packet whose server connection ID is {@code ID_LENGTH} bytes of {@code id}, from {@code from}. */
    private static DatagramPacket shortHeader(int id, InetSocketAddress from) {
        byte[] b = new byte[1 + ID_LENGTH + 30];
        b[0] = 0x43;
        for (int i = 0; i < ID_LENGTH; i++) {
            b[1 + i] = (byte) id;
        }
        return packet(b, from);
    }

    private static DatagramPacket packet(byte[] data, InetSocketAddress from) {
        DatagramPacket p = new DatagramPacket(data, data.length);
        p.setSocketAddress(from);
        return p;
    }
}
