// SPDX-License-Identifier: Apache-2.0
package quicpool.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import jdk.jfr.Recording;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import quicpool.core.pool.DetachedPool;
import quicpool.micrometer.QuicPoolMetrics;

/**
 * {@link PoolApiBench}'s cycle (its {@code incomingGet} and {@code outgoingGet}, inherited) with
 * what observes the pool: {@code observer=none} as shipped by default, {@code micrometer} with
 * {@link QuicPoolMetrics} bound to a {@link SimpleMeterRegistry} (each get records into the
 * get-wait timer), {@code jfr} with a JFR recording running that enables the four quicpool events
 * at threshold 0 (a get that finds its stream ready makes none: this measures what the recording
 * costs the hot path). The pool never waits here, so no get-wait JFR event is ever written.
 */
@State(Scope.Benchmark)
public class ObservabilityBench extends PoolApiBench {
    private static final String[] EVENTS = {"quicpool.GetWaited", "quicpool.RefillCycle", "quicpool.Dial",
        "quicpool.Eviction"};

    @Param({"none", "micrometer", "jfr"})
    public String observer;

    private Recording recording;

    @Override
    void observe(DetachedPool pool) {
        switch (observer) {
            case "none":
                break;
            case "micrometer":
                pool.bindMetrics(new QuicPoolMetrics(new SimpleMeterRegistry()));
                break;
            case "jfr":
                recording = new Recording();
                for (String event : EVENTS) {
                    recording.enable(event).withThreshold(Duration.ZERO);
                }
                recording.start();
                break;
            default:
                throw new IllegalArgumentException("observer must be none, micrometer or jfr, was " + observer);
        }
    }

    @Override
    void unobserve() {
        if (recording != null) {
            recording.close();
        }
    }
}
