// SPDX-License-Identifier: Apache-2.0
package quicpool.api.spi;

import java.net.InetSocketAddress;

/**
 * Decides, at a client's first packet, whether a listener lets that client's source start a
 * connection: the server's allow-list and connection limits, applied before any QUIC or TLS work.
 *
 * <p>A transport that sees datagrams calls {@link #judge} for each datagram that starts with a
 * client Initial packet (QUIC version 1 long header, type Initial) before its QUIC stack reads it,
 * and drops the datagram without a reply when it returns false: the refused source gets no
 * server Initial, no certificate, no connection state. Datagrams of other kinds are not shown to
 * it (they cannot open a connection). A transport that sees no datagrams (an in-memory fixture)
 * may ignore it: the pool checks the same rules again once a handshake has completed.
 *
 * <p>Implementations must be thread-safe, fast and non-blocking: they run on the transport's
 * receive thread, once per client Initial datagram.
 */
@FunctionalInterface
public interface Admission {

    /** Admits every source: the default of a {@link ListenSpec} made without one. */
    Admission ALL = source -> true;

    /**
     * @param source the datagram's source address and port
     * @return false to drop the datagram unanswered
     */
    boolean admits(InetSocketAddress source);

    /**
     * What a transport calls: {@link #admits}, except that a rule that throws refuses, and its
     * failure is logged (WARNING, logger {@code quicpool.spi}), so that a faulty rule neither
     * admits a source nor breaks the transport's receive loop.
     */
    default boolean judge(InetSocketAddress source) {
        try {
            return admits(source);
        } catch (RuntimeException e) {
            System.getLogger("quicpool.spi").log(System.Logger.Level.WARNING,
                    "the admission rule failed on a datagram from " + source + "; dropping it", e);
            return false;
        }
    }
}
