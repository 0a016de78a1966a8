// SPDX-License-Identifier: Apache-2.0
/**
 * End-to-end benchmark programs on loopback, per transport (Kwik, Netty): the acquire latency of a
 * pooled stream against a fresh stream and a fresh connection ({@link
 * quicpool.bench.e2e.AcquireLatency}), bulk throughput through a pooled stream against the
 * transport's raw stream ({@link quicpool.bench.e2e.BulkThroughput}) and the quic-go reference
 * workload, 50 streams x 1 MiB of echo over 2 connections ({@link quicpool.bench.e2e.EchoWorkload}),
 * all in one JVM; and the same echo and one-way bulk with each end in its own process, for every
 * pairing of quicpool and the quic-go peer of {@code quicpool-bench/quic-go} ({@link
 * quicpool.bench.e2e.ProcessPairs}, which starts {@link quicpool.bench.e2e.PeerServer} and {@link
 * quicpool.bench.e2e.PeerClient}); and the tunnel example as its users feel it, against direct TCP
 * and a tunnel without a pool, each end in its own process ({@link quicpool.bench.e2e.TunnelLatency},
 * which starts {@link quicpool.bench.e2e.TunnelPeer}). Each is a {@code main} run from {@code benchmarks.jar} on the
 * class path and prints Markdown table rows; see BENCHMARKS.md.
 */
package quicpool.bench.e2e;
