// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.netty;

import io.netty.handler.codec.quic.QLogConfiguration;
import io.netty.handler.codec.quic.QuicChannelBootstrap;
import io.netty.handler.codec.quic.QuicChannelOption;
import io.netty.handler.codec.quic.QuicServerCodecBuilder;
import java.io.File;

/**
 * Optional qlog tracing of every connection, for diagnosing the QUIC layer: with the system
 * property {@value #PROPERTY} set to an existing directory, quiche writes one qlog file per
 * connection there (every packet and frame sent, received and lost, congestion state). Files grow
 * by about 1 KiB per packet; meant for short diagnostic runs, never for production.
 */
final class QlogOption {

    static final String PROPERTY = "quicpool.netty.qlog";

    private QlogOption() {
    }

    static QuicServerCodecBuilder apply(QuicServerCodecBuilder builder) {
        QLogConfiguration qlog = configuration("server");
        return qlog == null ? builder : builder.option(QuicChannelOption.QLOG, qlog);
    }

    static QuicChannelBootstrap apply(QuicChannelBootstrap bootstrap) {
        QLogConfiguration qlog = configuration("client");
        return qlog == null ? bootstrap : bootstrap.option(QuicChannelOption.QLOG, qlog);
    }

    private static QLogConfiguration configuration(String end) {
        String dir = System.getProperty(PROPERTY);
        if (dir == null || dir.isBlank()) {
            return null;
        }
        if (!new File(dir).isDirectory()) {
            throw new IllegalArgumentException("-D" + PROPERTY + " must name an existing directory for qlog files, was \""
                    + dir + "\"");
        }
        return new QLogConfiguration(dir, "quicpool " + end, "quicpool " + end + " connection");
    }
}
