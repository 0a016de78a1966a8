// SPDX-License-Identifier: Apache-2.0
package quicpool.api;

import java.time.Duration;

/**
 * The state of a pool. The counts are read one after another without stopping the pool, so while
 * streams are being registered, taken or evicted they may disagree by the operations in flight;
 * once the pool is quiet, {@code active == opened - taken - evicted}, and {@code inUse <= taken}.
 *
 * @param role        {@code "client"} or {@code "server"}
 * @param transport   the name of the QUIC transport serving the pool, such as {@code "kwik"}
 * @param shards      the number of shards
 * @param connections QUIC connections alive now
 * @param active      idle streams ready in the pool
 * @param capacity    client: the current target of idle streams; server: its max capacity
 * @param interval    client: the current refill interval; server: {@link Duration#ZERO}
 * @param opened      streams handshaken and registered since start
 * @param taken       streams handed out by gets since start
 * @param evicted     idle streams closed by the pool since start, never handed out: their stream or
 *                    connection ended, {@link Pool#flush()} dropped them, or the pool closed. No
 *                    refill policy closes idle streams above its target
 * @param refused     streams refused by the server (pool full, bad handshake, too many awaiting their
 *                    handshake byte, see {@link ServerPoolBuilder#maxPendingStreamsPerConnection(int)}) since start
 * @param failedConnections server: connections refused once their handshake had completed (by the
 *                    allow-list or a connection limit, when the transport could not refuse them at
 *                    their first packet, see {@code refusedAtAdmission}), and connection attempts
 *                    whose handshake failed (another ALPN, a certificate the client refused) where
 *                    the transport reports them (Netty does; Kwik's server reports the handshakes
 *                    it refuses in the client's first flight, such as another ALPN), since start;
 *                    client: dials that failed, connections the server closed before they served
 *                    a stream, and new connections given up because every stream handshake on
 *                    them failed
 * @param errors      the application's error counter
 * @param inUse       streams handed out by gets and not yet {@link StreamConn#close() closed}, those
 *                    whose connection has ended included
 * @param waiting     gets waiting now for a stream (blocking and async), counted once they found
 *                    none ready
 * @param refusedAtAdmission server: client Initial datagrams the listener dropped unanswered, before
 *                    any TLS work, because the allow-list or a connection limit refused their source
 *                    (a refused dial sends its first packet a few times, and each counts), since
 *                    start; always 0 on a client, and on a transport that cannot see packets
 */
public record PoolStats(String role, String transport, int shards, int connections, int active, int capacity,
                        Duration interval, long opened, long taken, long evicted, long refused,
                        long failedConnections, long errors, long inUse, int waiting, long refusedAtAdmission) {
}
