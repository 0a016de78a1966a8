package quicpool.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.function.Supplier;
import quicpool.api.internal.Check;
import quicpool.api.internal.Pem;
import quicpool.api.internal.Services;

/**
 * Builds a {@link ClientPool}. Obtain one with {@link QuicPools#client()}.
 *
 * <pre>{@code
 * ClientPool pool = QuicPools.client()
 *         .serverAddress("tunnel.example.com", 10101)
 *         .capacity(8, 256)
 *         .verify()
 *         .build();
 * pool.start();
 * }</pre>
 *
 * <p>Defaults: capacity 1..128, refill interval 100 ms..1 s, {@link RefillPolicy#ADAPTIVE},
 * keep-alive 10 s, connect timeout 5 s, ID wait 1 min, {@link TlsMode#VERIFIED} against the JDK's
 * trust store. Every setter returns this builder; {@link #build()} checks the whole configuration.
 * Not thread-safe.
 */
public final class ClientPoolBuilder extends PoolBuilder<ClientPoolBuilder> {
    /** 64 shards x 128 streams: the most one client pool can hold. */
    public static final int MAX_CAPACITY = 64 * 128;

    private int minCapacity = 1;
    private int maxCapacity = 128;
    private Duration minInterval = Duration.ofMillis(100);
    private Duration maxInterval = Duration.ofSeconds(1);
    private Duration connectTimeout = Duration.ofSeconds(5);
    private TlsMode tlsMode = TlsMode.VERIFIED;
    private X509Certificate pinnedCertificate;
    private byte[] pinnedFingerprint;
    private KeyStore trustStore;
    private String hostname;
    private Supplier<InetSocketAddress> addressResolver;
    private RefillPolicy refillPolicy = RefillPolicy.ADAPTIVE;

    ClientPoolBuilder() {
        super(Duration.ofMinutes(1));
    }

    /** Bounds of the target number of idle streams: {@code 1 <= min <= max <= 8192}. */
    public ClientPoolBuilder capacity(int min, int max) {
        this.minCapacity = min;
        this.maxCapacity = max;
        return this;
    }

    /** Bounds of the refill interval: {@code 0 < min <= max}. */
    public ClientPoolBuilder refillInterval(Duration min, Duration max) {
        this.minInterval = Objects.requireNonNull(min, "min interval");
        this.maxInterval = Objects.requireNonNull(max, "max interval");
        return this;
    }

    /** Bound on one dial, TLS handshake included. Default 5 s. */
    public ClientPoolBuilder connectTimeout(Duration timeout) {
        this.connectTimeout = Objects.requireNonNull(timeout, "connectTimeout");
        return this;
    }

    /** The server's address, the same on every dial. */
    public ClientPoolBuilder serverAddress(InetSocketAddress address) {
        Objects.requireNonNull(address, "server address");
        return addressResolver(() -> address);
    }

    /** The server's host and port, resolved again on every dial. */
    public ClientPoolBuilder serverAddress(String host, int port) {
        Objects.requireNonNull(host, "host");
        Check.port("server port", port);
        if (hostname == null) {
            hostname = host;
        }
        return addressResolver(() -> new InetSocketAddress(host, port));
    }

    /**
     * Called on every dial for the server's address, so a tunnel can follow a server that moves.
     * An exception it throws counts as a failed dial.
     */
    public ClientPoolBuilder addressResolver(Supplier<InetSocketAddress> resolver) {
        this.addressResolver = Objects.requireNonNull(resolver, "addressResolver");
        return this;
    }

    /** The name sent as SNI and, in {@link TlsMode#VERIFIED}, checked against the certificate. */
    public ClientPoolBuilder hostname(String hostname) {
        this.hostname = Objects.requireNonNull(hostname, "hostname");
        return this;
    }

    /** {@link TlsMode#INSECURE}: accepts any server certificate. */
    public ClientPoolBuilder insecure() {
        return tls(TlsMode.INSECURE, null, null, null);
    }

    /** {@link TlsMode#SELF_SIGNED}: accepts only this certificate. */
    public ClientPoolBuilder pinCertificate(X509Certificate certificate) {
        return tls(TlsMode.SELF_SIGNED, Objects.requireNonNull(certificate, "certificate"), null, null);
    }

    /** {@link TlsMode#SELF_SIGNED}: accepts only the first certificate of this PEM file. */
    public ClientPoolBuilder pinCertificate(Path pemFile) {
        Objects.requireNonNull(pemFile, "pemFile");
        try {
            return pinCertificate(Pem.readCertificates(pemFile).get(0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@link TlsMode#SELF_SIGNED}: accepts only the certificate whose SHA-256 over its DER
     * encoding is this: 64 hex digits, colons allowed ({@code openssl x509 -fingerprint -sha256}).
     *
     * @throws IllegalArgumentException if it is not 32 bytes of hex
     */
    public ClientPoolBuilder pinFingerprint(String sha256Hex) {
        Objects.requireNonNull(sha256Hex, "fingerprint");
        String hex = sha256Hex.replace(":", "").trim();
        byte[] bytes;
        try {
            bytes = HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            bytes = null;
        }
        if (bytes == null || bytes.length != 32) {
            throw new IllegalArgumentException("fingerprint must be a SHA-256 digest, 64 hex digits (colons allowed), was \""
                    + sha256Hex + "\"");
        }
        return tls(TlsMode.SELF_SIGNED, null, bytes, null);
    }

    /** {@link TlsMode#VERIFIED} against the JDK's default trust store. The default. */
    public ClientPoolBuilder verify() {
        return tls(TlsMode.VERIFIED, null, null, null);
    }

    /** {@link TlsMode#VERIFIED} against the certificates in this trust store. */
    public ClientPoolBuilder verify(KeyStore trustStore) {
        return tls(TlsMode.VERIFIED, null, null, Objects.requireNonNull(trustStore, "trustStore"));
    }

    /**
     * How capacity and interval follow demand: {@link RefillPolicy#ADAPTIVE} (the default) or the
     * original's {@link RefillPolicy#CLASSIC}.
     */
    public ClientPoolBuilder refillPolicy(RefillPolicy policy) {
        this.refillPolicy = Objects.requireNonNull(policy, "refillPolicy");
        return this;
    }

    private ClientPoolBuilder tls(TlsMode mode, X509Certificate cert, byte[] fingerprint, KeyStore trust) {
        this.tlsMode = mode;
        this.pinnedCertificate = cert;
        this.pinnedFingerprint = fingerprint;
        this.trustStore = trust;
        return this;
    }

    /**
     * Checks the configuration and makes the pool, not yet started.
     *
     * @throws IllegalArgumentException naming the field, its value and the rule it breaks
     * @throws IllegalStateException    if no engine or no usable transport is on the module path;
     *                                  the message names the artifact to add
     */
    public ClientPool build() {
        return Services.engine().newClientPool(config(), Services.transport(transportName, transport));
    }

    /** Checks the configuration and returns it, without looking for an engine or transport. */
    public ClientPoolConfig config() {
        checkShared();
        Check.range("minCapacity", minCapacity, 1, MAX_CAPACITY);
        Check.range("maxCapacity", maxCapacity, 1, MAX_CAPACITY);
        Check.ordered("capacity", minCapacity, maxCapacity);
        Check.positive("minInterval", minInterval);
        Check.positive("maxInterval", maxInterval);
        Check.ordered("refillInterval", minInterval, maxInterval);
        Check.positive("connectTimeout", connectTimeout);
        if (addressResolver == null) {
            throw new IllegalArgumentException("serverAddress is not set: call serverAddress(...) or addressResolver(...)");
        }
        return new ClientPoolConfig(minCapacity, maxCapacity, minInterval, maxInterval, keepAlive, connectTimeout,
                handshakeTimeout, tlsMode, pinnedCertificate,
                pinnedFingerprint == null ? null : pinnedFingerprint.clone(), trustStore, hostname,
                addressResolver, refillPolicy, leakDetectionThreshold);
    }
}
