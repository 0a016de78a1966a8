// SPDX-License-Identifier: Apache-2.0
package quicpool.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import quicpool.api.GetOutcome;
import quicpool.api.Pool;
import quicpool.api.PoolMetrics;
import quicpool.api.PoolStats;

/**
 * One pool's meters: registered together, the get-wait timers indexed by outcome so that a get
 * records without a lookup or an allocation, removed together when the pool closes.
 */
final class PoolMeters implements PoolMetrics.Recorder {
    private final MeterRegistry registry;
    private final List<Meter> meters;
    private final Timer[] waits;

    private PoolMeters(MeterRegistry registry, List<Meter> meters, Timer[] waits) {
        this.registry = registry;
        this.meters = meters;
        this.waits = waits;
    }

    static PoolMeters register(Pool pool, MeterRegistry registry, Tags extra) {
        PoolStats st = pool.stats();
        Tags tags = Tags.of("pool", pool.name(), "role", st.role(), "transport", st.transport()).and(extra);
        List<Meter> meters = new ArrayList<>();
        meters.add(gauge(registry, QuicPoolMetrics.IDLE, "idle streams ready in the pool", "streams", pool, tags,
                Pool::active));
        meters.add(gauge(registry, QuicPoolMetrics.TARGET, "the current target number of idle streams", "streams", pool,
                tags, Pool::capacity));
        meters.add(gauge(registry, QuicPoolMetrics.IN_USE, "streams handed out by gets and not yet closed", "streams",
                pool, tags, p -> p.stats().inUse()));
        meters.add(gauge(registry, QuicPoolMetrics.WAITING, "gets waiting now for a stream", "gets", pool, tags,
                p -> p.stats().waiting()));
        meters.add(gauge(registry, QuicPoolMetrics.CONNECTIONS, "live QUIC connections", "connections", pool, tags,
                p -> p.stats().connections()));
        meters.add(counter(registry, QuicPoolMetrics.OPENED, "streams handshaken and registered", "streams", pool, tags,
                p -> p.stats().opened()));
        meters.add(counter(registry, QuicPoolMetrics.TAKEN, "streams handed out by gets", "streams", pool, tags,
                p -> p.stats().taken()));
        meters.add(counter(registry, QuicPoolMetrics.EVICTED, "idle streams dropped", "streams", pool, tags,
                p -> p.stats().evicted()));
        meters.add(counter(registry, QuicPoolMetrics.REFUSED, "streams refused by the server", "streams", pool, tags,
                p -> p.stats().refused()));
        meters.add(counter(registry, QuicPoolMetrics.FAILED_CONNECTIONS, "failed connections", "connections", pool,
                tags, p -> p.stats().failedConnections()));
        GetOutcome[] outcomes = GetOutcome.values();
        Timer[] waits = new Timer[outcomes.length];
        for (GetOutcome o : outcomes) {
            waits[o.ordinal()] = Timer.builder(QuicPoolMetrics.GET_WAIT)
                    .description("how long gets waited for a stream")
                    .tags(tags).tag("outcome", o.name().toLowerCase(Locale.ROOT))
                    .register(registry);
            meters.add(waits[o.ordinal()]);
        }
        return new PoolMeters(registry, List.copyOf(meters), waits);
    }

    private static Gauge gauge(MeterRegistry registry, String name, String description, String unit, Pool pool,
                               Tags tags, ToDoubleFunction<Pool> value) {
        return Gauge.builder(name, pool, value).description(description).baseUnit(unit).tags(tags).register(registry);
    }

    private static FunctionCounter counter(MeterRegistry registry, String name, String description, String unit,
                                           Pool pool, Tags tags, ToDoubleFunction<Pool> value) {
        return FunctionCounter.builder(name, pool, value).description(description).baseUnit(unit).tags(tags)
                .register(registry);
    }

    @Override
    public void recordGet(GetOutcome outcome, long waitedNanos) {
        waits[outcome.ordinal()].record(waitedNanos, TimeUnit.NANOSECONDS);
    }

    /** Removes the pool's meters from the registry. */
    @Override
    public void close() {
        for (Meter m : meters) {
            registry.remove(m);
        }
    }
}
