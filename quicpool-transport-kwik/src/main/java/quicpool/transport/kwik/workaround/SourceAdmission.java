// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik.workaround;

import java.net.DatagramPacket;
import java.net.InetSocketAddress;
import quicpool.api.spi.Admission;

/**
 * The listener's {@link Admission} rule, applied by its {@link ListenerSocket} to each datagram
 * that claims to start with a client Initial packet, before Kwik's server sees it: a refused
 * source's datagram is dropped unanswered, so Kwik starts no connection, TLS handshake or thread
 * for it. Other datagrams pass unchecked: Kwik opens no connection for them. Thread-safe.
 */
public final class SourceAdmission {

    private final Admission rule;

    public SourceAdmission(Admission rule) {
        this.rule = rule;
    }

    /** Whether the datagram may reach Kwik. A rule that throws refuses (see {@link Admission#judge}). */
    boolean admits(DatagramPacket datagram) {
        return rule == Admission.ALL
                || !InitialHeader.claimsInitial(datagram.getData(), datagram.getOffset(), datagram.getLength())
                || rule.judge((InetSocketAddress) datagram.getSocketAddress());
    }
}
