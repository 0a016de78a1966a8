package quicpool.api;

import java.net.InetSocketAddress;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * A validated client pool configuration, made by {@link ClientPoolBuilder#build()}.
 *
 * @param minCapacity       lower bound of the target number of idle streams, at least 1
 * @param maxCapacity       upper bound, at most 64 shards x 128 streams = 8192
 * @param minInterval       lower bound of the refill interval
 * @param maxInterval       upper bound of the refill interval
 * @param keepAlive         QUIC keep-alive period; the idle timeout is three times it
 * @param connectTimeout    bound on one dial, TLS handshake included
 * @param handshakeTimeout  bound on the wait for the server's 4 ID bytes
 * @param tlsMode           how the server's certificate is checked
 * @param pinnedCertificate the certificate {@link TlsMode#SELF_SIGNED} accepts, or null
 * @param pinnedFingerprint the SHA-256 of the DER certificate {@link TlsMode#SELF_SIGNED} accepts, or null
 * @param trustStore        the anchors {@link TlsMode#VERIFIED} checks against; null means the JDK's
 * @param hostname          the name sent as SNI and verified; null means the resolved address's host string
 * @param addressResolver   called on every dial for the server's address
 * @param refillPolicy      how capacity and interval follow demand
 * @param leakDetectionThreshold how long a taken stream may stay open before it is reported as a
 *                          leak; zero means leak detection is off
 *                          (see {@link PoolBuilder#leakDetectionThreshold(Duration)})
 */
public record ClientPoolConfig(int minCapacity, int maxCapacity, Duration minInterval, Duration maxInterval,
                               Duration keepAlive, Duration connectTimeout, Duration handshakeTimeout,
                               TlsMode tlsMode, X509Certificate pinnedCertificate, byte[] pinnedFingerprint,
                               KeyStore trustStore, String hostname,
                               Supplier<InetSocketAddress> addressResolver, RefillPolicy refillPolicy,
                               Duration leakDetectionThreshold) {
}
