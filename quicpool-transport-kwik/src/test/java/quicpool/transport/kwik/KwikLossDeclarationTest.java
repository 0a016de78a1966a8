// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import quicpool.api.spi.TransportListener;
import quicpool.api.spi.TransportStream;

/**
 * On loopback the only place a datagram can be lost is a full socket buffer, where the kernel
 * counts the drop; so each packet Kwik declares lost must have been dropped there. Kwik 0.10.8
 * sends a datagram before it records its packets, and an acknowledgement that came in between was
 * ignored: a one-way transfer of 64 MiB had 40 to 80 packets per connection declared lost with no
 * datagram dropped, each halving the congestion window ({@code RecordedSend} has the details).
 */
@Timeout(60)
class KwikLossDeclarationTest {

    private static final int MEBIBYTES = 32;
    private static final Duration OPEN = Duration.ofSeconds(5);

    private final Loopback loopback = new Loopback();

    @AfterEach
    void tearDown() {
        loopback.close();
    }

    @Test
    void aTransferOnLoopbackHasNoPacketDeclaredLostThatTheKernelDidNotDrop() throws Exception {
        assumeTrue(UdpDrops.available(), "no /proc/net/udp: the kernel's drops cannot be counted here");
        TransportListener listener = loopback.listen(connection -> stream -> loopback.serverWork.execute(
                () -> countToTheEnd(stream)));
        KwikConnection connection = (KwikConnection) loopback.connect(listener);
        int[] ports = {listener.localAddress().getPort(), connection.localAddress().getPort()};
        long dropsBefore = UdpDrops.onPorts(ports);

        TransportStream stream = connection.openStream(OPEN);
        byte[] chunk = new byte[64 * 1024];
        OutputStream out = stream.outputStream();
        for (int i = 0; i < MEBIBYTES * 16; i++) {
            out.write(chunk);
        }
        stream.shutdownOutput();
        long counted = new DataInputStream(stream.inputStream()).readLong();
        stream.close();

        long lost = connection.statistics().lostPackets();
        long dropped = UdpDrops.onPorts(ports) - dropsBefore;
        assertThat(counted).as("bytes the server read").isEqualTo(MEBIBYTES * (1L << 20));
        assertThat(lost).as("packets the client declared lost (of %d sent), with %d datagrams dropped by the kernel",
                connection.statistics().packetsSent(), dropped).isLessThanOrEqualTo(dropped);
    }

    /** Reads the stream to its end, answers the count of bytes read and closes it. */
    private static void countToTheEnd(TransportStream stream) {
        try {
            InputStream in = stream.inputStream();
            byte[] buffer = new byte[64 * 1024];
            long count = 0;
            for (int n; (n = in.read(buffer)) >= 0; ) {
                count += n;
            }
            DataOutputStream out = new DataOutputStream(stream.outputStream());
            out.writeLong(count);
            out.flush();
        } catch (IOException e) {
            // The client went away; its read fails and says so.
        } finally {
            stream.close();
        }
    }
}
