// SPDX-License-Identifier: Apache-2.0
package quicpool.api.internal;

import java.net.InetSocketAddress;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.function.Supplier;
import quicpool.api.ClientPoolBuilder;
import quicpool.api.PoolBuilder;
import quicpool.api.PoolMetrics;
import quicpool.api.RefillPolicy;
import quicpool.api.TlsMode;

/**
 * A validated client pool configuration, made by {@link ClientPoolBuilder#build()} for the
 * engine; the engine's tests read one through {@link BuilderConfigs#client}.
 *
 * @param minCapacity      lower bound of the target number of idle streams, at least 1
 * @param maxCapacity      upper bound, at most 64 shards x 128 streams = 8192
 * @param minInterval      lower bound of the refill interval
 * @param maxInterval      upper bound of the refill interval
 * @param keepAlive        QUIC keep-alive period; the idle timeout is three times it
 * @param connectTimeout   bound on one dial, TLS handshake included
 * @param handshakeTimeout bound on the wait for the server's 4 ID bytes
 * @param tlsMode          how the server's certificate is checked
 * @param certificatePins  in {@link TlsMode#SELF_SIGNED}, the SHA-256 digests of the DER certificates
 *                         accepted, 64 lowercase hex digits each; the server's leaf must match one
 *                         of them or of {@code publicKeyPins}. Empty otherwise
 * @param publicKeyPins    in {@link TlsMode#SELF_SIGNED}, the SHA-256 digests of the DER
 *                         SubjectPublicKeyInfo of the public keys accepted, 64 lowercase hex digits
 *                         each. Empty otherwise
 * @param trustStore       the anchors {@link TlsMode#VERIFIED} checks against; null means the JDK's
 * @param hostname         the name sent as SNI and verified; null means the host string of the
 *                         address the resolver returns for each dial
 * @param addressResolver  called on every dial for the server's address
 * @param refillPolicy     how capacity and interval follow demand
 * @param leakDetectionThreshold how long a taken stream may stay open before it is reported as a
 *                         leak; zero means leak detection is off
 *                         (see {@link PoolBuilder#leakDetectionThreshold(Duration)})
 * @param name             the pool's name; null means the engine numbers one ({@link PoolBuilder#name(String)})
 * @param metrics          binds the pool's metrics when it is built; null means none
 *                         ({@link PoolBuilder#metrics(PoolMetrics)})
 * @param threadFactory    makes every thread the pool starts; null means the built-in daemon
 *                         platform threads (see {@link PoolBuilder#threadFactory(ThreadFactory)})
 */
public record ClientPoolConfig(int minCapacity, int maxCapacity, Duration minInterval, Duration maxInterval,
                               Duration keepAlive, Duration connectTimeout, Duration handshakeTimeout,
                               TlsMode tlsMode, List<String> certificatePins, List<String> publicKeyPins,
                               KeyStore trustStore, String hostname,
                               Supplier<InetSocketAddress> addressResolver, RefillPolicy refillPolicy,
                               Duration leakDetectionThreshold, String name, PoolMetrics metrics,
                               ThreadFactory threadFactory) {
    /** Copies the pin lists, which must not be null. */
    public ClientPoolConfig {
        certificatePins = List.copyOf(certificatePins);
        publicKeyPins = List.copyOf(publicKeyPins);
    }
}
