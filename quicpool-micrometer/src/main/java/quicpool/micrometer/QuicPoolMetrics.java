// SPDX-License-Identifier: Apache-2.0
package quicpool.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.util.Objects;
import quicpool.api.Pool;
import quicpool.api.PoolMetrics;

/**
 * Registers a pool's meters in a Micrometer {@link MeterRegistry} when the pool is built, and times
 * its gets:
 *
 * <pre>{@code
 * ClientPool pool = QuicPools.client()
 *         .serverAddress("tunnel.example.com", 10101)
 *         .name("tunnel")
 *         .metrics(new QuicPoolMetrics(registry))
 *         .build();
 * }</pre>
 *
 * <p>Every meter carries the tags {@code pool} (the pool's {@link Pool#name() name}), {@code role}
 * ({@code client} or {@code server}) and {@code transport} (such as {@code kwik}), then the extra
 * tags given here. The gauges and function counters read the pool when the registry asks
 * ({@link Pool#active()}, {@link Pool#capacity()}, {@link Pool#stats()}) and hold it weakly:
 * <ul>
 * <li>gauges: {@value #IDLE} (idle streams ready), {@value #TARGET} (the current target of idle
 *     streams), {@value #IN_USE} (streams handed out and not yet closed), {@value #WAITING} (gets
 *     waiting now), {@value #CONNECTIONS} (live QUIC connections);</li>
 * <li>function counters: {@value #OPENED}, {@value #TAKEN}, {@value #EVICTED}, {@value #REFUSED}
 *     (streams), {@value #FAILED_CONNECTIONS}, as in {@link quicpool.api.PoolStats};</li>
 * <li>a timer, {@value #GET_WAIT}, of how long each get waited for a stream (zero for one that
 *     found it ready), with the tag {@code outcome}: {@code taken}, {@code timed_out},
 *     {@code closed}, {@code interrupted} or {@code cancelled} ({@link quicpool.api.GetOutcome}).</li>
 * </ul>
 * Closing the pool removes its meters from the registry. Pools bound to one registry need
 * distinct names (or extra tags): Micrometer keeps one meter per name and tags, so a second pool
 * of the same name and role would be shown with the first one's figures.
 *
 * <p>Immutable and thread-safe; one instance may bind any number of pools.
 */
public final class QuicPoolMetrics implements PoolMetrics {
    /** Gauge: idle streams ready in the pool. */
    public static final String IDLE = "quicpool.streams.idle";
    /** Gauge: the current target number of idle streams. */
    public static final String TARGET = "quicpool.streams.target";
    /** Gauge: streams handed out by gets and not yet closed. */
    public static final String IN_USE = "quicpool.streams.in.use";
    /** Gauge: gets waiting now for a stream. */
    public static final String WAITING = "quicpool.gets.waiting";
    /** Gauge: live QUIC connections. */
    public static final String CONNECTIONS = "quicpool.connections";
    /** Function counter: streams handshaken and registered since start. */
    public static final String OPENED = "quicpool.streams.opened";
    /** Function counter: streams handed out by gets since start. */
    public static final String TAKEN = "quicpool.streams.taken";
    /** Function counter: idle streams dropped since start. */
    public static final String EVICTED = "quicpool.streams.evicted";
    /** Function counter: streams the server refused since start. */
    public static final String REFUSED = "quicpool.streams.refused";
    /** Function counter: failed connections since start, as {@link quicpool.api.PoolStats#failedConnections()}. */
    public static final String FAILED_CONNECTIONS = "quicpool.connections.failed";
    /** Timer: how long gets waited for a stream, tagged with their {@code outcome}. */
    public static final String GET_WAIT = "quicpool.get.wait";

    private final MeterRegistry registry;
    private final Tags tags;

    /**
     * Meters in {@code registry}, tagged {@code pool}, {@code role} and {@code transport}.
     *
     * @throws NullPointerException if it is null
     */
    public QuicPoolMetrics(MeterRegistry registry) {
        this(registry, Tags.empty());
    }

    /**
     * Meters in {@code registry}, tagged {@code pool}, {@code role} and {@code transport}, then
     * {@code tags} (such as the application's name).
     *
     * @throws NullPointerException if either is null
     */
    public QuicPoolMetrics(MeterRegistry registry, Iterable<Tag> tags) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
    }

    /**
     * Registers the pool's meters; called by the pool's {@code build()}.
     *
     * @return the pool's get-wait timers, which remove its meters when the pool closes
     */
    @Override
    public PoolMetrics.Recorder bind(Pool pool) {
        return PoolMeters.register(pool, registry, tags);
    }
}
