/** Runnable examples of quicpool: the loopback demo and, later, a reverse TCP tunnel. */
module quicpool.examples {
    requires quicpool.api;
}
