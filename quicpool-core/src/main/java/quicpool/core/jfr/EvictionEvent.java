// SPDX-License-Identifier: Apache-2.0
package quicpool.core.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** Idle streams a pool closed and forgot together: those of a connection that ended, or a flush. */
@Name("quicpool.Eviction")
@Label("quicpool Eviction")
@Category("quicpool")
@Description("Idle streams closed and forgotten together: because their connection ended, or by flush()")
@StackTrace(false)
public final class EvictionEvent extends Event {
    @Label("Pool")
    String pool;

    @Label("Role")
    String role;

    @Label("Reason")
    @Description("\"connection ended\" or \"flush\"")
    String reason;

    @Label("Streams")
    int streams;

    /** Ends the eviction and commits the event if it evicted any stream and the recording wants it. */
    public void finish(String pool, String role, String reason, int streams) {
        end();
        if (streams > 0 && shouldCommit()) {
            this.pool = pool;
            this.role = role;
            this.reason = reason;
            this.streams = streams;
            commit();
        }
    }
}
