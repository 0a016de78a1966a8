// SPDX-License-Identifier: Apache-2.0
package quicpool.api;

/** How a client pool sizes its target capacity and refill interval. */
public enum RefillPolicy {
    /**
     * The default: the target follows measured demand. The pool estimates the rate of gets and
     * the time a refill takes, and holds enough idle streams to serve the gets of two refill
     * times (with headroom), so a burst is served from the pool; a get that leaves the pool below
     * target starts a refill at once, a pool that ran dry quadruples its target, and the target
     * falls over seconds when demand does. Idle streams above the target are not closed: later
     * gets use them up (closing one would race with the peer taking its other end). Capacity and
     * interval stay within the configured bounds.
     */
    ADAPTIVE,

    /**
     * The controllers of vistone/quic, the Go library quicpool is a port of: after each refill,
     * capacity moves by one stream toward demand and the interval by 100 ms, within the configured
     * bounds. Ramping from 5 to 200 streams takes 195 intervals. For compatibility with
     * vistone/quic's behaviour. Idle streams above the target are not closed either.
     */
    CLASSIC
}
