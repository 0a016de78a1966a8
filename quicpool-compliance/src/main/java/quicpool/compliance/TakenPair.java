// SPDX-License-Identifier: Apache-2.0
package quicpool.compliance;

import java.time.Duration;
import quicpool.api.ClientPool;
import quicpool.api.ServerPool;
import quicpool.api.PoolTimeoutException;
import quicpool.api.StreamConn;

/** The two ends of one pooled stream, taken from a client and a server pool; closes both. */
public record TakenPair(StreamConn client, StreamConn server) implements AutoCloseable {

    /**
     * Takes a ready stream at one end and its other end by ID at the other, each within {@code bound}.
     *
     * @param serverFirst whether the server's {@code incomingGet} starts (a tunnel's way), or the client's
     */
    public static TakenPair take(ClientPool client, ServerPool server, boolean serverFirst, Duration bound)
            throws InterruptedException, PoolTimeoutException {
        StreamConn first = serverFirst ? server.incomingGet(bound) : client.incomingGet(bound);
        try {
            StreamConn second = serverFirst ? client.outgoingGet(first.id(), bound) : server.outgoingGet(first.id(), bound);
            return serverFirst ? new TakenPair(second, first) : new TakenPair(first, second);
        } catch (InterruptedException | PoolTimeoutException | RuntimeException e) {
            first.close();
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            client.close();
        } finally {
            server.close();
        }
    }
}
