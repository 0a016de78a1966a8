// SPDX-License-Identifier: Apache-2.0
package quicpool.core.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** One dial of a client pool's shard: address resolution, QUIC and TLS handshakes. */
@Name("quicpool.Dial")
@Label("quicpool Dial")
@Category("quicpool")
@Description("One dial of a client pool's shard: resolving the address, the QUIC and TLS handshakes")
@StackTrace(false)
public final class DialEvent extends Event {
    @Label("Pool")
    String pool;

    @Label("Shard")
    int shard;

    @Label("Address")
    @Description("The address the resolver returned; null if it failed")
    String address;

    @Label("Succeeded")
    boolean succeeded;

    @Label("Failure")
    @Description("Why the dial failed; null if it succeeded")
    String failure;

    /** Ends the dial and commits the event if the recording wants it; {@code failure} null for success. */
    public void finish(String pool, int shard, String address, Exception failure) {
        end();
        if (shouldCommit()) {
            this.pool = pool;
            this.shard = shard;
            this.address = address;
            this.succeeded = failure == null;
            this.failure = failure == null ? null : failure.toString();
            commit();
        }
    }
}
