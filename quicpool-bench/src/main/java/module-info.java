// SPDX-License-Identifier: Apache-2.0
/**
 * JMH benchmarks of quicpool's hot get path against its baselines, the wake-up latency program
 * and the end-to-end loopback programs ({@code quicpool.bench.e2e}). Run from the shaded
 * {@code benchmarks.jar} (class path; its META-INF/services name the engine and both transports);
 * see BENCHMARKS.md.
 */
module quicpool.bench {
    requires quicpool.core;
    requires quicpool.testkit;
    requires quicpool.examples; // TunnelLatency: the tunnel example's two ends, each in its own process
    requires quicpool.micrometer; // ObservabilityBench: Micrometer on the get path
    requires jdk.jfr; // ObservabilityBench: a JFR recording running
    requires org.jctools.core;
    requires jdk.unsupported; // JCTools' MpmcArrayQueue uses sun.misc.Unsafe
    requires jmh.core;
    requires org.apache.commons.pool2;
    requires HdrHistogram;
    requires jdk.management; // process CPU time for CpuTimeProfiler
    requires java.logging; // quicpool.bench.e2e keeps java.util.logging quiet

    uses quicpool.api.spi.QuicTransport; // quicpool.bench.e2e finds transports by name
}
