// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;

/**
 * A client connection's UDP socket, connected to the server, that reports its closing.
 *
 * <p>Kwik closes a client connection's socket on every way the connection ends, including an
 * internal abort (for example an ICMP "port unreachable" from a server that went away), for which
 * it raises no disconnect event; the close is therefore the end signal that never fails to come.
 * Being connected, the socket also has a definite local address, and the handshake with a port
 * nobody listens on fails at once instead of after the connect timeout.
 */
final class NotifyingDatagramSocket extends DatagramSocket {

    private volatile Runnable onClose = () -> { };

    NotifyingDatagramSocket(InetSocketAddress remote) throws SocketException {
        super();
        try {
            connect(remote);
        } catch (SocketException | RuntimeException e) {
            super.close();
            throw e;
        }
    }

    void onClose(Runnable action) {
        onClose = action;
    }

    @Override
    public void close() {
        super.close();
        onClose.run();
    }
}
