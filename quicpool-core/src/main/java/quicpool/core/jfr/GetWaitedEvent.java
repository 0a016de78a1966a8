// SPDX-License-Identifier: Apache-2.0
package quicpool.core.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;
import jdk.jfr.Timespan;
import quicpool.api.GetOutcome;

/**
 * A get that found no stream ready and waited. Only waits make one: a get that finds a stream
 * ready never creates it. An async get's event is committed by the thread that ends it (a pool
 * thread delivering the stream, the timeout thread, the canceller), its duration still the wait.
 * By default only waits of 1 ms or more are recorded: an async get by ID commonly waits a little
 * for its stream to arrive; a recording can set the threshold lower.
 */
@Name("quicpool.GetWaited")
@Label("quicpool Get Waited")
@Category("quicpool")
@Description("A get that found no stream ready and waited: for how long, and how it ended")
@StackTrace(false)
@Threshold("1 ms")
public final class GetWaitedEvent extends Event {
    @Label("Pool")
    String pool;

    @Label("Role")
    String role;

    @Label("Stream ID")
    @Description("The ID waited for; null for a get of any stream")
    String streamId;

    @Label("Async")
    boolean async;

    @Label("Timeout")
    @Timespan(Timespan.NANOSECONDS)
    long timeout;

    @Label("Outcome")
    @Description("TAKEN, TIMED_OUT, CLOSED, INTERRUPTED or CANCELLED")
    String outcome;

    /** Ends the wait and commits the event if the recording wants it. */
    public void finish(String pool, String role, String streamId, boolean async, long timeoutNanos, GetOutcome outcome) {
        end();
        if (shouldCommit()) {
            this.pool = pool;
            this.role = role;
            this.streamId = streamId;
            this.async = async;
            this.timeout = timeoutNanos;
            this.outcome = outcome.name();
            commit();
        }
    }
}
