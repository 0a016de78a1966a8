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

    /** A datagram that starts with a short-header (1-RTT) packet. */
    private static DatagramPacket datagram(int tag) {
        return new DatagramPacket(new byte[] {0x40, (byte) tag}, 2);
    }
}
