// SPDX-License-Identifier: Apache-2.0
package quicpool.core.sim;

import java.time.Duration;
import java.util.List;
import quicpool.core.control.AdaptiveController;
import quicpool.core.control.ClassicController;

/** The standard setup of the trace replays: pool bounds, open latencies and the two controllers. */
final class Replays {
    /** Capacity 5..1024 (8 shards), the builder's default interval bounds 100 ms..1 s. */
    static final PoolSimulation.Bounds BOUNDS =
            new PoolSimulation.Bounds(5, 1024, Duration.ofMillis(100), Duration.ofSeconds(1));

    /** Stream-open latency: one handshake round trip on loopback, in a region, across an ocean. */
    static final List<Duration> LATENCIES =
            List.of(Duration.ofMillis(200).dividedBy(1000), Duration.ofMillis(2), Duration.ofMillis(50));

    static final String CLASSIC = "classic";
    static final String ADAPTIVE = "adaptive";

    private Replays() {
    }

    static SimResult classic(DemandTrace trace, Duration latency) {
        return classic(trace, latency, BOUNDS);
    }

    static SimResult classic(DemandTrace trace, Duration latency, PoolSimulation.Bounds bounds) {
        return PoolSimulation.run(trace, latency, bounds, CLASSIC, (b, clock) ->
                new ClassicController(b.minCapacity(), b.maxCapacity(), b.minInterval(), b.maxInterval()));
    }

    static SimResult adaptive(DemandTrace trace, Duration latency) {
        return adaptive(trace, latency, BOUNDS);
    }

    static SimResult adaptive(DemandTrace trace, Duration latency, PoolSimulation.Bounds bounds) {
        return PoolSimulation.run(trace, latency, bounds, ADAPTIVE, (b, clock) ->
                new AdaptiveController(b.minCapacity(), b.maxCapacity(), b.minInterval(), b.maxInterval(), clock));
    }

    /** "0.2 ms", "2 ms", "50 ms". */
    static String millis(Duration d) {
        double ms = d.toNanos() / 1e6;
        return (ms == Math.rint(ms) ? String.valueOf((long) ms) : String.valueOf(ms)) + " ms";
    }
}
