// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import quicpool.api.spi.Admission;

/**
 * In front of the QUIC server codec on the listener's datagram channel: applies the listener's
 * {@link Admission} rule to each datagram that claims to start with a client Initial packet (QUIC
 * version 1 long header, type Initial) and drops (releases) those from refused sources, so quiche
 * starts no connection and no TLS handshake for them and answers nothing. Other datagrams pass:
 * they cannot open a connection. Runs on the channel's event loop.
 */
final class SourceAdmissionHandler extends ChannelInboundHandlerAdapter {

    private static final int QUIC_V1 = 0x00000001;

    private final Admission rule;

    SourceAdmissionHandler(Admission rule) {
        this.rule = rule;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        // A rule that throws refuses (see Admission#judge).
        if (msg instanceof DatagramPacket packet && claimsInitial(packet.content()) && !rule.judge(packet.sender())) {
            packet.release();
            return;
        }
        ctx.fireChannelRead(msg);
    }

    /** Long header with the fixed bit, type Initial, version 1 (RFC 9000 17.2, 17.2.2). */
    static boolean claimsInitial(ByteBuf datagram) {
        int at = datagram.readerIndex();
        return datagram.readableBytes() >= 5 && (datagram.getByte(at) & 0xf0) == 0xc0 && datagram.getInt(at + 1) == QUIC_V1;
    }
}
