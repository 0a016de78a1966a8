// SPDX-License-Identifier: Apache-2.0
package quicpool.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import quicpool.api.internal.BuilderConfigs;
import quicpool.api.internal.Check;
import quicpool.api.internal.ClientPoolConfig;
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
 * trust store, server name from the server address. Only the server address is required.
 *
 * <p>Rules a builder keeps:
 * <ul>
 * <li>Setters check their arguments for null ({@link NullPointerException}) and for their format
 *     where one applies ({@link IllegalArgumentException}: a port, a hex digest); ranges and the
 *     order of bounds are checked by {@link #build()}, with an
 *     {@link IllegalArgumentException} naming the field, its value and the rule.</li>
 * <li>A setter called again replaces what it set before, except the TLS choice below.</li>
 * <li>One TLS choice: {@link #insecure()}, certificate pins ({@link #pinCertificate(X509Certificate)},
 *     {@link #pinCertificate(Path)}, {@link #pinFingerprint(String)}), public-key pins
 *     ({@link #pinPublicKey(String)}, {@link #pinPublicKey(X509Certificate)}), {@link #verify()} or
 *     {@link #verify(KeyStore)}. Choosing a different one after it throws
 *     {@link IllegalStateException} naming both ("TLS mode was already set to pinCertificate;
 *     cannot also set verify"), whatever the order. Repeating a choice is allowed: pins of the same
 *     kind accumulate (the server's certificate must match any one of them, so a rotation can pin
 *     the old and the new), and {@code insecure()}, {@code verify()} and {@code verify(sameStore)}
 *     may be repeated.</li>
 * <li>The TLS server name (SNI, and the name {@code verify} checks) is the one given to
 *     {@link #hostname(String)} if it was called, before or after the address; else it follows
 *     the latest {@code serverAddress(...)} or {@code addressResolver(...)}.</li>
 * </ul>
 *
 * <p>Not thread-safe.
 */
public final class ClientPoolBuilder extends PoolBuilder<ClientPoolBuilder> {
    /** 64 shards x 128 streams: the most one client pool can hold. */
    public static final int MAX_CAPACITY = 64 * 128;

    /** The builder's TLS choices; pins of one kind, and equal verify choices, may be repeated. */
    private enum TlsChoice {
        INSECURE, CERTIFICATE_PIN, PUBLIC_KEY_PIN, VERIFY_DEFAULT_TRUST, VERIFY_TRUST_STORE
    }

    private int minCapacity = 1;
    private int maxCapacity = 128;
    private Duration minInterval = Duration.ofMillis(100);
    private Duration maxInterval = Duration.ofSeconds(1);
    private Duration connectTimeout = Duration.ofSeconds(5);
    /** The TLS choice made, or null while the default ({@code verify()}) holds. */
    private TlsChoice tlsChoice;
    /** The setter that made {@link #tlsChoice}, named in the conflict message. */
    private String tlsChoiceSetter;
    private final Set<String> certificatePins = new LinkedHashSet<>();
    private final Set<String> publicKeyPins = new LinkedHashSet<>();
    private KeyStore trustStore;
    /** Set by {@link #hostname(String)}; wins over {@link #addressHost}. */
    private String explicitHostname;
    /** The host of the latest {@code serverAddress}; null after {@link #addressResolver}. */
    private String addressHost;
    private Supplier<InetSocketAddress> addressResolver;
    private RefillPolicy refillPolicy = RefillPolicy.ADAPTIVE;

    static {
        BuilderConfigs.registerClient(ClientPoolBuilder::config);
    }

    ClientPoolBuilder() {
        super(Duration.ofMinutes(1));
    }

    /**
     * Bounds of the target number of idle streams. Default 1 and 128. The pool keeps one QUIC
     * connection (shard) per 128 streams of {@code max}.
     *
     * @throws IllegalArgumentException from {@link #build()}, unless
     *                                  {@code 1 <= min <= max <= 8192} ({@link #MAX_CAPACITY})
     */
    public ClientPoolBuilder capacity(int min, int max) {
        this.minCapacity = min;
        this.maxCapacity = max;
        return this;
    }

    /**
     * Bounds of the refill interval. Default 100 ms and 1 s.
     *
     * @throws NullPointerException     if either is null
     * @throws IllegalArgumentException from {@link #build()}, unless
     *                                  {@code 0 < min <= max}
     */
    public ClientPoolBuilder refillInterval(Duration min, Duration max) {
        this.minInterval = Objects.requireNonNull(min, "min interval");
        this.maxInterval = Objects.requireNonNull(max, "max interval");
        return this;
    }

    /**
     * Bound on one dial, TLS handshake included. Default 5 s.
     *
     * @throws NullPointerException     if it is null
     * @throws IllegalArgumentException from {@link #build()}, unless positive
     */
    public ClientPoolBuilder connectTimeout(Duration timeout) {
        this.connectTimeout = Objects.requireNonNull(timeout, "connectTimeout");
        return this;
    }

    /**
     * The server's address, the same on every dial. No default: this, {@link #serverAddress(String,
     * int)} or {@link #addressResolver(Supplier)} is required, and the latest of them wins. Unless
     * {@link #hostname(String)} is set, the TLS server name becomes the address's host string
     * ({@link InetSocketAddress#getHostString()}: the host name it was made with, else the IP
     * literal).
     *
     * @throws NullPointerException if it is null
     */
    public ClientPoolBuilder serverAddress(InetSocketAddress address) {
        Objects.requireNonNull(address, "server address");
        setResolver(() -> address);
        this.addressHost = address.getHostString();
        return this;
    }

    /**
     * The server's host and port, resolved again on every dial. No default: this, {@link
     * #serverAddress(InetSocketAddress)} or {@link #addressResolver(Supplier)} is required, and the
     * latest of them wins. Unless {@link #hostname(String)} is set, the TLS server name becomes
     * {@code host}.
     *
     * @throws NullPointerException     if {@code host} is null
     * @throws IllegalArgumentException if {@code port} is not within 0..65535
     */
    public ClientPoolBuilder serverAddress(String host, int port) {
        Objects.requireNonNull(host, "host");
        Check.port("server port", port);
        setResolver(() -> new InetSocketAddress(host, port));
        this.addressHost = host;
        return this;
    }

    /**
     * Called on every dial for the server's address, so a tunnel can follow a server that moves.
     * An exception it throws, or a null it returns, counts as a failed dial. No default: this or a
     * {@code serverAddress(...)} is required, and the latest of them wins. Unless {@link
     * #hostname(String)} is set, the TLS server name of each dial is the host string of the address
     * this returned for it.
     *
     * @throws NullPointerException if it is null
     */
    public ClientPoolBuilder addressResolver(Supplier<InetSocketAddress> resolver) {
        setResolver(resolver);
        this.addressHost = null;
        return this;
    }

    private void setResolver(Supplier<InetSocketAddress> resolver) {
        this.addressResolver = Objects.requireNonNull(resolver, "addressResolver");
    }

    /**
     * The name sent as SNI and, in {@link TlsMode#VERIFIED}, checked against the certificate.
     * Default: the host of the latest {@code serverAddress(...)}, or after {@link
     * #addressResolver(Supplier)} the host string of each address it returns. Once set it wins
     * over every server address and resolver, set before or after it; a later call replaces it.
     *
     * @throws NullPointerException if it is null
     */
    public ClientPoolBuilder hostname(String hostname) {
        this.explicitHostname = Objects.requireNonNull(hostname, "hostname");
        return this;
    }

    /**
     * {@link TlsMode#INSECURE}: accepts any server certificate. The traffic is encrypted but anyone
     * on the path can pose as the server, so the pool logs a WARNING (logger
     * {@code quicpool.core.tls}) when it starts. Not the default.
     *
     * @throws IllegalStateException if another TLS choice was made (see the class comment)
     */
    public ClientPoolBuilder insecure() {
        chooseTls(TlsChoice.INSECURE, "insecure");
        return this;
    }

    /**
     * {@link TlsMode#SELF_SIGNED}: the server's leaf certificate must be this one (compared by the
     * SHA-256 of its DER encoding) and within its validity period; the host name is not checked.
     * Not the default. May be called again, also with {@link #pinCertificate(Path)} and {@link
     * #pinFingerprint(String)}: the pins accumulate, any one of them passes.
     *
     * @throws NullPointerException     if it is null
     * @throws IllegalArgumentException if it cannot be encoded
     * @throws IllegalStateException    if another TLS choice was made (see the class comment)
     */
    public ClientPoolBuilder pinCertificate(X509Certificate certificate) {
        Objects.requireNonNull(certificate, "certificate");
        byte[] der;
        try {
            der = certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("certificate to pin cannot be encoded: " + e.getMessage(), e);
        }
        return pin(TlsChoice.CERTIFICATE_PIN, "pinCertificate", certificatePins, sha256(der));
    }

    /**
     * {@link TlsMode#SELF_SIGNED}: as {@link #pinCertificate(X509Certificate)}, with the first
     * certificate of this PEM file.
     *
     * @throws NullPointerException     if it is null
     * @throws UncheckedIOException     if the file cannot be read
     * @throws IllegalArgumentException if it holds no readable PEM certificate
     * @throws IllegalStateException    if another TLS choice was made (see the class comment)
     */
    public ClientPoolBuilder pinCertificate(Path pemFile) {
        Objects.requireNonNull(pemFile, "pemFile");
        try {
            return pinCertificate(Pem.readCertificates(pemFile).get(0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@link TlsMode#SELF_SIGNED}: as {@link #pinCertificate(X509Certificate)}, with the
     * certificate whose SHA-256 over its DER encoding is this: 64 hex digits, colons allowed
     * ({@code openssl x509 -in cert.pem -noout -fingerprint -sha256}). Not the default.
     *
     * @throws NullPointerException     if it is null
     * @throws IllegalArgumentException if it is not 32 bytes of hex
     * @throws IllegalStateException    if another TLS choice was made (see the class comment)
     */
    public ClientPoolBuilder pinFingerprint(String sha256Hex) {
        return pin(TlsChoice.CERTIFICATE_PIN, "pinFingerprint", certificatePins, parseSha256("fingerprint", sha256Hex));
    }

    /**
     * {@link TlsMode#SELF_SIGNED}, by the server's key: the server's leaf certificate must carry
     * the public key whose SubjectPublicKeyInfo (DER) has this SHA-256, 64 hex digits, colons
     * allowed ({@code openssl x509 -in cert.pem -noout -pubkey | openssl pkey -pubin -outform der
     * | openssl dgst -sha256}), and be within its validity period; the host name is not checked.
     * Unlike a certificate pin, it still holds after the certificate is renewed with the same key.
     * Only the leaf's key counts: the pin mode checks no chain, so an authority's key in it proves
     * nothing. quicpool's own mode: vistone/quic has no public-key pinning. Not the
     * default. May be called again, also with {@link #pinPublicKey(X509Certificate)}: the pins
     * accumulate, any one of them passes.
     *
     * @throws NullPointerException     if it is null
     * @throws IllegalArgumentException if it is not 32 bytes of hex
     * @throws IllegalStateException    if another TLS choice was made, certificate pins included
     *                                  (see the class comment)
     */
    public ClientPoolBuilder pinPublicKey(String sha256Hex) {
        return pin(TlsChoice.PUBLIC_KEY_PIN, "pinPublicKey", publicKeyPins, parseSha256("public key digest", sha256Hex));
    }

    /**
     * As {@link #pinPublicKey(String)}, with the public key of this certificate (any certificate
     * for the server's key: the one it serves now, or one issued for the same key).
     *
     * @throws NullPointerException  if it is null
     * @throws IllegalStateException if another TLS choice was made (see the class comment)
     */
    public ClientPoolBuilder pinPublicKey(X509Certificate certificate) {
        Objects.requireNonNull(certificate, "certificate");
        byte[] spki = certificate.getPublicKey().getEncoded();
        return pin(TlsChoice.PUBLIC_KEY_PIN, "pinPublicKey", publicKeyPins, sha256(spki));
    }

    /**
     * {@link TlsMode#VERIFIED} against the JDK's default trust store: the chain must lead to one of
     * its anchors, the leaf must be within its validity period and name the server name (see
     * {@link #hostname(String)}). The default; calling it makes the choice explicit.
     *
     * @throws IllegalStateException if another TLS choice was made, {@code verify(trustStore)}
     *                               included (see the class comment)
     */
    public ClientPoolBuilder verify() {
        chooseTls(TlsChoice.VERIFY_DEFAULT_TRUST, "verify");
        return this;
    }

    /**
     * {@link TlsMode#VERIFIED} against the certificates in this trust store, instead of the JDK's.
     * Not the default. May be called again with the same store only.
     *
     * @throws NullPointerException  if it is null
     * @throws IllegalStateException if another TLS choice was made, {@code verify()} or another
     *                               trust store included (see the class comment)
     */
    public ClientPoolBuilder verify(KeyStore trustStore) {
        Objects.requireNonNull(trustStore, "trustStore");
        if (this.trustStore != null && this.trustStore != trustStore) {
            throw new IllegalStateException("TLS mode was already set to verify(trustStore) with another trust store;"
                    + " cannot also set verify(trustStore): put every anchor in one trust store");
        }
        chooseTls(TlsChoice.VERIFY_TRUST_STORE, "verify(trustStore)");
        this.trustStore = trustStore;
        return this;
    }

    /**
     * How capacity and interval follow demand: {@link RefillPolicy#ADAPTIVE} (the default) or
     * vistone/quic's {@link RefillPolicy#CLASSIC}.
     *
     * @throws NullPointerException if it is null
     */
    public ClientPoolBuilder refillPolicy(RefillPolicy policy) {
        this.refillPolicy = Objects.requireNonNull(policy, "refillPolicy");
        return this;
    }

    private void chooseTls(TlsChoice choice, String setter) {
        if (tlsChoice != null && tlsChoice != choice) {
            throw new IllegalStateException("TLS mode was already set to " + tlsChoiceSetter + "; cannot also set "
                    + setter);
        }
        if (tlsChoice == null) {
            tlsChoice = choice;
            tlsChoiceSetter = setter;
        }
    }

    private ClientPoolBuilder pin(TlsChoice kind, String setter, Set<String> pins, byte[] sha256) {
        chooseTls(kind, setter);
        pins.add(HexFormat.of().formatHex(sha256));
        return this;
    }

    private static byte[] parseSha256(String what, String sha256Hex) {
        Objects.requireNonNull(sha256Hex, what);
        String hex = sha256Hex.replace(":", "").trim();
        byte[] bytes;
        try {
            bytes = HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            bytes = null;
        }
        if (bytes == null || bytes.length != 32) {
            throw new IllegalArgumentException(what + " must be a SHA-256 digest, 64 hex digits (colons allowed), was \""
                    + sha256Hex + "\"");
        }
        return bytes;
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK offers no SHA-256", e);
        }
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

    /**
     * Checks the configuration and returns it, without looking for an engine or transport: the
     * hand-off to the engine, read by its tests through {@link BuilderConfigs#client}.
     *
     * @throws IllegalArgumentException naming the field, its value and the rule it breaks
     */
    ClientPoolConfig config() {
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
                handshakeTimeout, tlsMode(), List.copyOf(certificatePins), List.copyOf(publicKeyPins), trustStore,
                explicitHostname != null ? explicitHostname : addressHost, addressResolver, refillPolicy,
                leakDetectionThreshold, name, metrics, threadFactory);
    }

    private TlsMode tlsMode() {
        if (tlsChoice == null) {
            return TlsMode.VERIFIED;
        }
        switch (tlsChoice) {
            case INSECURE:
                return TlsMode.INSECURE;
            case CERTIFICATE_PIN:
            case PUBLIC_KEY_PIN:
                return TlsMode.SELF_SIGNED;
            default:
                return TlsMode.VERIFIED;
        }
    }
}
