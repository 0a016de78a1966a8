// SPDX-License-Identifier: Apache-2.0
/**
 * Micrometer meters for quicpool pools: give {@link quicpool.micrometer.QuicPoolMetrics} to a
 * pool builder's {@code metrics(...)} and the pool's gauges, counters and get-wait timer appear in
 * the registry.
 */
module quicpool.micrometer {
    requires transitive quicpool.api;
    requires transitive micrometer.core;

    exports quicpool.micrometer;
}
