// SPDX-License-Identifier: Apache-2.0
/**
 * Runnable examples of quicpool: the loopback demo ({@code quicpool.examples.Demo}) and a reverse
 * TCP tunnel ({@code quicpool.examples.tunnel.Tunnel}: server, client and a one-process demo).
 */
module quicpool.examples {
    requires quicpool.api;
    requires HdrHistogram; // latency percentiles of the demos

    // TunnelServer and TunnelClient can be embedded; quicpool-bench's TunnelLatency runs them
    exports quicpool.examples.tunnel;
}
