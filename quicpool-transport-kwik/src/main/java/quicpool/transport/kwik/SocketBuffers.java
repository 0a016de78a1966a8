// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik;

import java.net.DatagramSocket;
import java.net.SocketException;
import java.util.concurrent.atomic.AtomicBoolean;
import quicpool.api.spi.QuicSettings;

/**
 * Asks the kernel for UDP socket buffers of {@link QuicSettings#UDP_SOCKET_BUFFER} on each socket
 * this transport makes; Kwik leaves the system default. The server's one socket carries every
 * connection of the listener: with about 208 KiB it dropped about 6,000 datagrams while a
 * 64 x 128-stream pool filled on a 2-core machine. When the kernel grants less, one WARNING per
 * JVM says so and how to raise the limit.
 */
final class SocketBuffers {

    private static final System.Logger LOG = System.getLogger("quicpool.transport.kwik");
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private SocketBuffers() {
    }

    /** Sets both buffers of {@code socket} and returns it; closes it if that fails. */
    static <S extends DatagramSocket> S enlarge(S socket) throws SocketException {
        int granted;
        try {
            socket.setReceiveBufferSize(QuicSettings.UDP_SOCKET_BUFFER);
            socket.setSendBufferSize(QuicSettings.UDP_SOCKET_BUFFER);
            granted = socket.getReceiveBufferSize();
        } catch (SocketException | RuntimeException e) {
            socket.close();
            throw e;
        }
        if (granted < QuicSettings.UDP_SOCKET_BUFFER && WARNED.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.WARNING, () -> "UDP receive buffer: asked for " + QuicSettings.UDP_SOCKET_BUFFER
                    + " bytes, the kernel granted " + granted + "; bursts to a busy listener may be dropped"
                    + " (on Linux raise net.core.rmem_max and net.core.wmem_max)");
        }
        return socket;
    }
}
