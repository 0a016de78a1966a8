// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik.workaround;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class RecordedSendTest {

    private final List<DatagramPacket> sent = new CopyOnWriteArrayList<>();
    private final RecordedSend.Sink sink = sent::add;

    @AfterEach
    void releaseWhatATestLeftHeld() {
        RecordedSend.release();
    }

    @Test
    void aHeldDatagramLeavesOnlyWhenReleased() throws IOException {
        DatagramPacket datagram = datagram(1);
        RecordedSend.send(sink, datagram);
        assertThat(sent).isEmpty();

        RecordedSend.release();
        assertThat(sent).containsExactly(datagram);
    }

    @Test
    void aDatagramOfLongHeaderPacketsLeavesAtOnce() throws IOException {
        DatagramPacket versionNegotiation = new DatagramPacket(new byte[] {(byte) 0x80, 0, 0, 0, 0}, 5);
        RecordedSend.send(sink, versionNegotiation);
        assertThat(sent).containsExactly(versionNegotiation);
    }

    /**
     * Until the handshake is confirmed, Kwik puts a Handshake packet (an acknowledgement) before a
     * 1-RTT packet in one datagram; the 1-RTT packet needs its record before its datagram leaves.
     */
    @Test
    void aHandshakePacketCoalescedWithA1RttPacketIsHeldToo() throws IOException {
        DatagramPacket coalesced = concat(handshakePacket(3), new byte[] {0x40, 1, 2});
        RecordedSend.send(sink, coalesced);
        assertThat(sent).isEmpty();

        RecordedSend.release();
        assertThat(sent).containsExactly(coalesced);
    }

    @Test
    void longHeaderPacketsAloneLeaveAtOnce() throws IOException {
        DatagramPacket handshakes = concat(handshakePacket(3), handshakePacket(5));
        RecordedSend.send(sink, handshakes);
        assertThat(sent).containsExactly(handshakes);
    }

    @Test
    void aLongHeaderThatCannotBeReadLeavesAtOnce() throws IOException {
        byte[] cut = handshakePacket(40);
        DatagramPacket truncated = new DatagramPacket(cut, 20); // its length claims more than the datagram holds
        RecordedSend.send(sink, truncated);
        assertThat(sent).containsExactly(truncated);
    }

    @Test
    void aReleaseWithNothingHeldSendsNothing() {
        RecordedSend.release();
        assertThat(sent).isEmpty();
    }

    @Test
    void aDatagramNeverReleasedLeavesBeforeTheNextOneIsHeld() throws IOException {
        DatagramPacket first = datagram(1);
        DatagramPacket second = datagram(2);
        RecordedSend.send(sink, first);
        RecordedSend.send(sink, second);
        assertThat(sent).containsExactly(first);

        RecordedSend.release();
        assertThat(sent).containsExactly(first, second);
    }

    @Test
    void anotherThreadsReleaseDoesNotSendThisThreadsDatagram() throws Exception {
        DatagramPacket datagram = datagram(1);
        RecordedSend.send(sink, datagram);

        CompletableFuture.runAsync(RecordedSend::release).get(5, TimeUnit.SECONDS);
        assertThat(sent).isEmpty();

        RecordedSend.release();
        assertThat(sent).containsExactly(datagram);
    }

    @Test
    void aFailedSendOnReleaseIsThrownAndNotRetried() throws IOException {
        IOException failure = new IOException("socket closed");
        List<DatagramPacket> tries = new CopyOnWriteArrayList<>();
        RecordedSend.send(datagram -> {
            tries.add(datagram);
            throw failure;
        }, datagram(1));

        assertThatThrownBy(RecordedSend::release).isInstanceOf(UncheckedIOException.class).hasCause(failure);
        RecordedSend.release();
        assertThat(tries).hasSize(1);
    }

    /**
     * A QUIC version 1 Handshake packet: long header, connection IDs of 8 and 0 bytes, a 1-byte
     * length field and {@code payload} bytes of packet number and payload.
     */
    private static byte[] handshakePacket(int payload) {
        byte[] p = new byte[1 + 4 + 1 + 8 + 1 + 1 + payload];
        p[0] = (byte) 0xe0; // long header, fixed bit, type Handshake
        p[4] = 1; // version 1
        p[5] = 8; // destination connection ID length
        p[14] = 0; // source connection ID length
        p[15] = (byte) payload; // length (a 1-byte varint below 64)
        return p;
    }

    private static DatagramPacket concat(byte[] a, byte[] b) {
        byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return new DatagramPacket(both, both.length);
    }

    /** A datagram that starts with a short-header (1-RTT) packet. */
    private static DatagramPacket datagram(int tag) {
        return new DatagramPacket(new byte[] {0x40, (byte) tag}, 2);
    }
}
