// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.Channel;
import io.netty.channel.MaxMessagesRecvByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import quicpool.compliance.RequiresTransport;

/** Both ends' UDP channels read datagrams in batches of {@link CodecSettings#DATAGRAMS_PER_READ}. */
@RequiresTransport("netty")
@ExtendWith(LeakCheck.class)
@Timeout(60)
class DatagramBatchTest {

    @Test
    void theDialersAndTheListenersUdpChannelsReadUpTo256DatagramsPerBatch() throws Exception {
        try (Loopback loop = new Loopback()) {
            NettyConnection client = (NettyConnection) loop.dial();
            NettyConnection server = (NettyConnection) loop.nextAccepted();

            assertThat(CodecSettings.DATAGRAMS_PER_READ).isEqualTo(256);
            assertThat(datagramsPerRead(client.channel().parent())).isEqualTo(CodecSettings.DATAGRAMS_PER_READ);
            assertThat(datagramsPerRead(server.channel().parent())).isEqualTo(CodecSettings.DATAGRAMS_PER_READ);
        }
    }

    private static int datagramsPerRead(Channel udp) {
        Object allocator = udp.config().getRecvByteBufAllocator();
        assertThat(allocator).isInstanceOf(MaxMessagesRecvByteBufAllocator.class);
        return ((MaxMessagesRecvByteBufAllocator) allocator).maxMessagesPerRead();
    }
}
