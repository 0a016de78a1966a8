// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik.workaround;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the listener's socket hands Kwik of what clients send: every packet, except client
 * Initial packets whose protection does not come off with the Initial keys (a server must
 * discard them, RFC 9001 5.2; Kwik would keep each as a connection attempt for 30 s).
 */
@Timeout(10)
public class ListenerSocketTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 0);
    private static final byte[] CLIENT_INITIAL = InitialProtectionTest.CLIENT_INITIAL;
    private static final int DATAGRAM = 1200;
    private static final byte[] ODCID = HEX.parseHex("8394c8f03e515708");

    private final Random random = new Random(42);

    @Test
    void dropsUndecryptableClientInitialsAndPassesTheRest() throws Exception {
        byte[] padded = concat(CLIENT_INITIAL, new byte[100]);
        byte[] coalesced = concat(CLIENT_INITIAL, handshakePacket());
        byte[] shortHeader = HEX.parseHex("41b01fd24a586a9cf30003aabbccddeeff00112233");
        byte[] tampered = CLIENT_INITIAL.clone();
        tampered[600] ^= 1;
        byte[][] sent = {randomInitial(), headerOnlyInitial(), tampered, padded, coalesced, shortHeader, CLIENT_INITIAL};

        try (ListenerSocket socket = new ListenerSocket(LOOPBACK, (client, reason) -> { });
             DatagramSocket client = new DatagramSocket(LOOPBACK)) {
            socket.setSoTimeout(5_000);
            InetSocketAddress to = new InetSocketAddress("127.0.0.1", socket.getLocalPort());
            for (byte[] datagram : sent) {
                client.send(new DatagramPacket(datagram, datagram.length, to));
            }

            assertThat(receive(socket)).as("padded after the packet").isEqualTo(padded);
            assertThat(receive(socket)).as("a Handshake packet coalesced after it").isEqualTo(coalesced);
            assertThat(receive(socket)).as("short header: Kwik's to read").isEqualTo(shortHeader);
            assertThat(receive(socket)).as("alone").isEqualTo(CLIENT_INITIAL);
            assertThat(socket.droppedInitials()).as("random, random after the header, one byte changed").isEqualTo(3);
        }
    }

    /**
     * A handshake the server refuses in the client's first flight ends when Kwik is handed one more
     * datagram for it; the first may reach Kwik before the connection is registered under the
     * server's ID, so the socket hands it again, 50 ms and 1 s later.
     */
    @Test
    void aServersRefusalInItsFirstFlightIsFollowedByADatagramForThatConnectionThreeTimes() throws Exception {
        byte[] serverId = HEX.parseHex("f067a5502a4262b5");
        List<String> reported = new CopyOnWriteArrayList<>();
        try (ListenerSocket socket = new ListenerSocket(LOOPBACK, (c, reason) -> reported.add(reason));
             DatagramSocket client = new DatagramSocket(LOOPBACK)) {
            socket.setSoTimeout(5_000);
            client.send(new DatagramPacket(CLIENT_INITIAL, CLIENT_INITIAL.length,
                    new InetSocketAddress("127.0.0.1", socket.getLocalPort())));
            assertThat(receive(socket)).as("the client's first flight").isEqualTo(CLIENT_INITIAL);

            byte[] refusal = serverClose(ODCID, serverId);
            long sent = System.nanoTime();
            socket.send(new DatagramPacket(refusal, refusal.length, client.getLocalSocketAddress()));
            byte[] expected = new byte[1 + serverId.length + 20];
            expected[0] = 0x40;
            System.arraycopy(serverId, 0, expected, 1, serverId.length);
            long[] after = new long[3];
            for (int i = 0; i < 3; i++) {
                DatagramPacket d = new DatagramPacket(new byte[2048], 2048);
                socket.receive(d);
                after[i] = System.nanoTime() - sent;
                assertThat(Arrays.copyOfRange(d.getData(), d.getOffset(), d.getOffset() + d.getLength()))
                        .as("datagram %d for the refused connection, a short header to its ID", i + 1).isEqualTo(expected);
                assertThat(d.getSocketAddress()).as("from the client").isEqualTo(client.getLocalSocketAddress());
            }
            assertThat(Duration.ofNanos(after[1])).isGreaterThanOrEqualTo(Duration.ofMillis(ListenerSocket.NUDGE_AGAIN_MILLIS.get(0)));
            assertThat(Duration.ofNanos(after[2])).isGreaterThanOrEqualTo(Duration.ofMillis(ListenerSocket.NUDGE_AGAIN_MILLIS.get(1)));
            assertThat(reported).as("the refusal reported once").singleElement().asString()
                    .contains("handshake refused in the client's first flight");
        }
    }

    /** A server Initial packet alone in its datagram, carrying a CONNECTION_CLOSE: a refusal in the first flight. */
    private static byte[] serverClose(byte[] originalDestinationId, byte[] serverId) throws Exception {
        byte[] d = new byte[200];
        int at = 0;
        d[at++] = (byte) 0xc3; // Initial, 4-byte packet number
        d[at++] = 0;
        d[at++] = 0;
        d[at++] = 0;
        d[at++] = 1;
        d[at++] = 0; // the client's source ID: empty in RFC 9001 A.2
        d[at++] = (byte) serverId.length;
        System.arraycopy(serverId, 0, d, at, serverId.length);
        at += serverId.length;
        d[at++] = 0; // no token
        int length = d.length - at - 2;
        d[at++] = (byte) (0x40 | length >> 8);
        d[at++] = (byte) length;
        d[at + 3] = 1; // packet number 1, in 4 bytes
        byte[] payload = new byte[length - 4 - 16];
        payload[0] = 0x1c; // CONNECTION_CLOSE; error, frame type and reason length 0, then PADDING
        InitialProtection.seal(InitialProtection.Sender.SERVER, originalDestinationId, d, at, 1, payload);
        return d;
    }

    private static byte[] receive(DatagramSocket socket) throws Exception {
        DatagramPacket datagram = new DatagramPacket(new byte[2048], 2048);
        socket.receive(datagram);
        return Arrays.copyOfRange(datagram.getData(), datagram.getOffset(), datagram.getOffset() + datagram.getLength());
    }

    /** 1200 random bytes after the first five of a version 1 Initial: lengths and all at random. */
    private byte[] randomInitial() {
        byte[] b = new byte[DATAGRAM];
        random.nextBytes(b);
        b[0] = (byte) 0xc3;
        b[1] = 0;
        b[2] = 0;
        b[3] = 0;
        b[4] = 1;
        return b;
    }

    /** A well-formed header of a first Initial (new IDs, no token, the length of the rest), then random bytes. */
    public static byte[] headerOnlyInitial(Random random) {
        byte[] b = new byte[DATAGRAM];
        random.nextBytes(b); // the IDs, the packet number and the rest
        b[0] = (byte) 0xc0;
        b[1] = 0;
        b[2] = 0;
        b[3] = 0;
        b[4] = 1;
        b[5] = 8; // destination ID in 6..13
        b[14] = 8; // source ID in 15..22
        b[23] = 0; // no token
        int length = DATAGRAM - 26;
        b[24] = (byte) (0x40 | length >> 8);
        b[25] = (byte) length;
        return b;
    }

    private byte[] headerOnlyInitial() {
        return headerOnlyInitial(random);
    }

    /** A long-header Handshake packet (type 2) to the same ID, as a client coalesces after its Initial. */
    private byte[] handshakePacket() {
        byte[] b = new byte[60];
        random.nextBytes(b);
        byte[] header = HEX.parseHex("e000000001088394c8f03e51570800" + String.format("%04x", 0x4000 | 43));
        System.arraycopy(header, 0, b, 0, header.length);
        return b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
