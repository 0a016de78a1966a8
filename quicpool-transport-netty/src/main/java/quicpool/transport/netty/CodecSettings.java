// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.handler.codec.quic.QuicChannelBootstrap;
import io.netty.handler.codec.quic.QuicCodecBuilder;
import io.netty.handler.codec.quic.QuicServerCodecBuilder;
import io.netty.handler.codec.quic.QuicStreamChannelBootstrap;
import java.util.concurrent.TimeUnit;
import quicpool.api.spi.QuicSettings;

/** Applies {@link QuicSettings} to Netty's codec builders, the same way on both ends. */
final class CodecSettings {

    /** Queue lengths of the DATAGRAM extension, which carries only keep-alive probes. */
    private static final int DATAGRAM_QUEUE = 16;
    /**
     * The largest UDP payload path-MTU discovery may grow to: what a 1,500-byte Ethernet MTU
     * carries over IPv6 (1,500 - 40 - 8), the cap quic-go uses too. quiche starts at 1,200 bytes
     * and keeps the largest size a probe packet got through with; on a path with a smaller MTU
     * the probes are lost and the size stays where it was. Without discovery quiche would send
     * this size as soon as the handshake is done, and such a path would drop every full packet.
     */
    static final int MAX_UDP_PAYLOAD = 1452;

    /**
     * How many datagrams the event loop reads from a UDP channel before the codec sees the end of
     * the batch (Netty's default is 16). Only datagrams already waiting are read, so a lightly
     * loaded connection still gets each one at once. Under load a larger batch means fewer reader
     * wake-ups: the codec hands a stream its bytes per datagram, but a waiting reader is woken
     * once per batch ({@link StreamInput}), and quiche sends busy streams a packet each in turn,
     * so in a batch of 16 a stream rarely gets more than one. The acknowledgements a batch calls
     * for also leave together after it. Measured in BENCHMARKS.md (2026-12-07): with 256, the
     * echo between two quicpool processes is about 20% faster at about 20% less CPU.
     */
    static final int DATAGRAMS_PER_READ = 256;
    /** Receive buffer per datagram: the size Netty's datagram channels use by default. */
    private static final int DATAGRAM_BUFFER = 2048;

    private CodecSettings() {
    }

    /**
     * Socket options of every UDP channel: buffers of {@link QuicSettings#UDP_SOCKET_BUFFER}, and
     * reads of up to {@link #DATAGRAMS_PER_READ} datagrams per batch.
     */
    static Bootstrap socketOptions(Bootstrap bootstrap) {
        return bootstrap.option(ChannelOption.SO_RCVBUF, QuicSettings.UDP_SOCKET_BUFFER)
                .option(ChannelOption.SO_SNDBUF, QuicSettings.UDP_SOCKET_BUFFER)
                .option(ChannelOption.RCVBUF_ALLOCATOR,
                        new FixedRecvByteBufAllocator(DATAGRAM_BUFFER).maxMessagesPerRead(DATAGRAMS_PER_READ));
    }

    static <B extends QuicCodecBuilder<B>> B apply(B builder, QuicSettings settings) {
        return builder
                .maxIdleTimeout(settings.idleTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .initialMaxData(settings.connectionWindow())
                .initialMaxStreamDataBidirectionalLocal(settings.streamWindow())
                .initialMaxStreamDataBidirectionalRemote(settings.streamWindow())
                .initialMaxStreamsBidirectional(settings.maxBidiStreams())
                .discoverPmtu(true)
                .maxSendUdpPayloadSize(MAX_UDP_PAYLOAD)
                // quiche has no PING API; keep-alive sends DATAGRAM frames (ack-eliciting), see KeepAlive.
                .datagram(DATAGRAM_QUEUE, DATAGRAM_QUEUE);
    }

    /*
     * Options of every stream channel: reads only on demand (so flow control reaches the peer when
     * the consumer is slow) and half-closure (the peer's FIN must not close our direction).
     */

    static QuicServerCodecBuilder streamOptions(QuicServerCodecBuilder builder) {
        return builder.streamOption(ChannelOption.AUTO_READ, false)
                .streamOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
    }

    static QuicChannelBootstrap streamOptions(QuicChannelBootstrap bootstrap) {
        return bootstrap.streamOption(ChannelOption.AUTO_READ, false)
                .streamOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
    }

    static QuicStreamChannelBootstrap streamOptions(QuicStreamChannelBootstrap bootstrap) {
        return bootstrap.option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true);
    }
}
