package quicpool.api;

/** How a client pool sizes its target capacity and refill interval. */
public enum RefillPolicy {
    /**
     * The original library's controllers: after each refill, capacity moves by one stream toward
     * demand and the interval by 100 ms, within the configured bounds.
     */
    CLASSIC
}
