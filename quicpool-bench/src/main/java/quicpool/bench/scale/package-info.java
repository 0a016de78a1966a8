// SPDX-License-Identifier: Apache-2.0
/**
 * Scale figures of real pools on loopback, per transport: {@link quicpool.bench.scale.FillTime}
 * (fill time from empty to full at 128, 1024 and 8192 streams, and heap per idle stream), with
 * {@link quicpool.bench.scale.ServerEnd} as the server end in a JVM of its own. Programs, not JMH:
 * run from {@code benchmarks.jar} on the class path; see BENCHMARKS.md.
 */
package quicpool.bench.scale;
