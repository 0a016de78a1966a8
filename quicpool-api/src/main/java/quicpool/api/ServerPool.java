// SPDX-License-Identifier: Apache-2.0
package quicpool.api;

import java.net.InetSocketAddress;
import java.util.Collection;

/**
 * The listening end: accepts QUIC connections from allowed clients on one UDP socket, spreads
 * them over its shards, answers each new stream's handshake with a fresh ID and keeps up to
 * {@link #capacity()} idle streams ready.
 *
 * <p>Created with {@link QuicPools#server()}. Thread-safe.
 */
public interface ServerPool extends Pool {

    /**
     * The address the listener is bound to; with port 0 configured, the port the system chose.
     *
     * @throws IllegalStateException if the pool has not been started
     */
    InetSocketAddress localAddress();

    /**
     * Replaces the allow-list, at run time: from now on only clients at these addresses or CIDR
     * ranges ({@code "10.0.0.7"}, {@code "10.0.0.0/8"}, {@code "2001:db8::/32"}) are admitted, as
     * with {@link ServerPoolBuilder#allowClient(String)}: others are refused at their next first
     * packet, before any TLS work, and a handshake that completes after the change is judged by the
     * new list. Connections the server holds from an address the new list does not admit are
     * closed, with reason "unauthorized IP", and their idle streams are evicted; streams users have
     * taken from them end with their connection.
     *
     * <p>Unlike the builder, where no {@code allowClient} means anyone, an empty collection here
     * admits <em>nobody</em>: a list that shrinks to nothing never opens the server. To admit
     * anyone again, call {@link #allowAnyone()}. May be called before {@link #start()}; the pool
     * then starts with this list instead of the builder's.
     *
     * <p>Thread-safe: of concurrent calls, the last to set the list wins, and no connection the
     * list in force refuses is kept.
     *
     * @param addressesOrCidrs the clients to admit; copied, later changes to it have no effect
     * @throws NullPointerException     if it is or holds null; the allow-list is unchanged then
     * @throws IllegalArgumentException if an entry is not an IP literal or CIDR range (the message
     *                                  names it); the allow-list is unchanged then
     */
    void allowOnly(Collection<String> addressesOrCidrs);

    /**
     * Admits every client again, as a pool built without {@link ServerPoolBuilder#allowClient(String)}
     * does; the connection limits still apply. Thread-safe, as {@link #allowOnly(Collection)}.
     */
    void allowAnyone();
}
