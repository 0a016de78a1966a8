// SPDX-License-Identifier: Apache-2.0
package quicpool.api;

/**
 * The entry point: builders for the two ends of a pool.
 *
 * <p>Needs only {@code requires quicpool.api}. At {@code build()} the engine ({@code quicpool-core})
 * and a transport ({@code quicpool-transport-kwik} or {@code quicpool-transport-netty}) are found on
 * the module path or class path; if one is missing, the error names the artifact to add.
 */
public final class QuicPools {
    private QuicPools() {
    }

    /** A builder for the dialing end, which opens and keeps the streams. */
    public static ClientPoolBuilder client() {
        return new ClientPoolBuilder();
    }

    /** A builder for the listening end, which accepts the streams and gives them IDs. */
    public static ServerPoolBuilder server() {
        return new ServerPoolBuilder();
    }
}
