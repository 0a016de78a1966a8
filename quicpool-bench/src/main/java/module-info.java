/** JMH benchmarks of quicpool against its baselines. */
module quicpool.bench {
    requires quicpool.core;
    requires quicpool.testkit;
}
