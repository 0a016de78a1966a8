// SPDX-License-Identifier: Apache-2.0
package quicpool.core.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** One refill cycle of a client pool: reconnecting its shards, then opening the streams its target lacks. */
@Name("quicpool.RefillCycle")
@Label("quicpool Refill Cycle")
@Category("quicpool")
@Description("One refill cycle of a client pool: reconnect shards, open the streams the target lacks")
@StackTrace(false)
public final class RefillCycleEvent extends Event {
    @Label("Pool")
    String pool;

    @Label("Idle At Start")
    int idleAtStart;

    @Label("Target")
    @Description("The target of idle streams the cycle filled towards")
    int target;

    @Label("Requested")
    @Description("Streams the cycle set out to open")
    int requested;

    @Label("Registered")
    @Description("Streams registered by fills since the previous cycle, those of slow earlier fills included")
    int registered;

    @Label("Idle At End")
    int idleAtEnd;

    /** Ends the cycle and commits the event if the recording wants it. */
    public void finish(String pool, int idleAtStart, int target, int requested, int registered, int idleAtEnd) {
        end();
        if (shouldCommit()) {
            this.pool = pool;
            this.idleAtStart = idleAtStart;
            this.target = target;
            this.requested = requested;
            this.registered = registered;
            this.idleAtEnd = idleAtEnd;
            commit();
        }
    }
}
