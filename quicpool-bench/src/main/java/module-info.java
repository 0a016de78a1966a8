/**
 * JMH benchmarks of quicpool's hot get path against its baselines, and the wake-up latency
 * program. Run from the shaded {@code benchmarks.jar} (class path); see BENCHMARKS.md.
 */
module quicpool.bench {
    requires quicpool.core;
    requires quicpool.testkit;
    requires org.jctools.core;
    requires jdk.unsupported; // JCTools' MpmcArrayQueue uses sun.misc.Unsafe
    requires jmh.core;
    requires org.apache.commons.pool2;
    requires HdrHistogram;
    requires jdk.management; // process CPU time for CpuTimeProfiler
}
