// SPDX-License-Identifier: Apache-2.0
package quicpool.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import quicpool.api.internal.BuilderConfigs;
import quicpool.api.internal.Check;
import quicpool.api.internal.Pem;
import quicpool.api.internal.ServerPoolConfig;
import quicpool.api.internal.Services;

/**
 * Builds a {@link ServerPool}. Obtain one with {@link QuicPools#server()}.
 *
 * <pre>{@code
 * ServerPool pool = QuicPools.server()
 *         .listen(new InetSocketAddress("0.0.0.0", 10101))
 *         .certificate(Path.of("cert.pem"), Path.of("key.pem"))
 *         .maxCapacity(256)
 *         .allowClient("203.0.113.0/24")
 *         .build();
 * pool.start();
 * }</pre>
 *
 * <p>Defaults: max capacity 128, anyone admitted, at most {@value #DEFAULT_MAX_CONNECTIONS}
 * connections, {@value #DEFAULT_MAX_CONNECTIONS_PER_ADDRESS} from one address, {@value
 * #DEFAULT_MAX_HANDSHAKES} handshakes in progress, {@value #DEFAULT_MAX_PENDING_STREAMS_PER_CONNECTION}
 * streams of one connection awaiting their handshake byte, keep-alive 10 s, handshake bound 10 s,
 * no QUIC Retry.
 * A listen address and key material are required. A setter called again replaces what it set
 * before, except {@link #allowClient(String)}, which adds. Setters throw {@link
 * NullPointerException} for a null argument; ranges and missing settings are reported by {@link
 * #build()} with an {@link IllegalArgumentException}. Not thread-safe.
 */
public final class ServerPoolBuilder extends PoolBuilder<ServerPoolBuilder> {
    /** Default of {@link #maxConnections(int)}: {@value}. */
    public static final int DEFAULT_MAX_CONNECTIONS = 1024;
    /**
     * Default of {@link #maxConnectionsPerAddress(int)}: {@value}, twice the connections of the
     * largest client pool (64 shards), so that one may redial all of them while its old ones end.
     */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 128;
    /**
     * Default of {@link #maxHandshakes(int)}: {@value}, the connections of the largest client pool
     * (64 shards), which dials them all at once.
     */
    public static final int DEFAULT_MAX_HANDSHAKES = 64;
    /**
     * Default of {@link #maxPendingStreamsPerConnection(int)}: {@value}, a third of the streams the
     * server waits for at once; a client pool writes each stream's byte as soon as it opens it, so
     * its streams rarely wait.
     */
    public static final int DEFAULT_MAX_PENDING_STREAMS_PER_CONNECTION = 16;

    private int maxCapacity = 128;
    private int maxConnections = DEFAULT_MAX_CONNECTIONS;
    private int maxConnectionsPerAddress = DEFAULT_MAX_CONNECTIONS_PER_ADDRESS;
    private int maxHandshakes = DEFAULT_MAX_HANDSHAKES;
    private int maxPendingStreamsPerConnection = DEFAULT_MAX_PENDING_STREAMS_PER_CONNECTION;
    private final List<IpRange> allowedClients = new ArrayList<>();
    private InetSocketAddress listenAddress;
    private KeyStore keyStore;
    private String keyAlias;
    private char[] keyPassword;
    private boolean retry;

    static {
        BuilderConfigs.registerServer(ServerPoolBuilder::config);
    }

    ServerPoolBuilder() {
        super(Duration.ofSeconds(10));
    }

    /**
     * Idle streams kept at most; a new stream beyond it is refused. Default 128. It also sets
     * over how many shards the accepted connections are spread: one per 128 streams, at most 64.
     *
     * @throws IllegalArgumentException from {@link #build()}, unless at least 1
     */
    public ServerPoolBuilder maxCapacity(int maxCapacity) {
        this.maxCapacity = maxCapacity;
        return this;
    }

    /**
     * Admits clients at this address or CIDR range ({@code "10.0.0.7"}, {@code "10.0.0.0/8"},
     * {@code "2001:db8::/32"}); may be called several times, and the ranges add up. Default: none,
     * and with none anyone is admitted. Others are refused at their first packet, before any TLS
     * work: the server drops their datagrams unanswered, so their dials time out (counted in
     * {@link PoolStats#refusedAtAdmission()}). On a transport that cannot see packets, they are
     * closed with reason "unauthorized IP" once their handshake completes, before any stream is
     * served.
     *
     * @throws NullPointerException     if it is null
     * @throws IllegalArgumentException if it is not an IP literal or CIDR range
     */
    public ServerPoolBuilder allowClient(String addressOrCidr) {
        allowedClients.add(IpRange.parse(addressOrCidr));
        return this;
    }

    /**
     * Connections the server holds at most, from all clients together. Default {@value
     * #DEFAULT_MAX_CONNECTIONS}. While it holds them, new clients are refused at their first
     * packet, unanswered (counted in {@link PoolStats#refusedAtAdmission()}); a connection whose
     * handshake completes while the server is full is closed with reason "too many connections"
     * (counted in {@link PoolStats#failedConnections()}).
     *
     * @throws IllegalArgumentException from {@link #config()} and {@link #build()}, unless at least 1
     */
    public ServerPoolBuilder maxConnections(int maxConnections) {
        this.maxConnections = maxConnections;
        return this;
    }

    /**
     * Connections the server holds at most from one client IP address (whatever its ports).
     * Default {@value #DEFAULT_MAX_CONNECTIONS_PER_ADDRESS}. While an address holds them, its new
     * connections are refused at their first packet, unanswered (counted in {@link
     * PoolStats#refusedAtAdmission()}); one whose handshake completes while its address is at the
     * limit is closed with reason "too many connections from this address" (counted in {@link
     * PoolStats#failedConnections()}). A client pool needs one connection per shard (128 streams);
     * clients behind one NAT share an address.
     *
     * @throws IllegalArgumentException from {@link #config()} and {@link #build()}, unless between 1
     *                                  and {@link #maxConnections(int)}
     */
    public ServerPoolBuilder maxConnectionsPerAddress(int maxConnectionsPerAddress) {
        this.maxConnectionsPerAddress = maxConnectionsPerAddress;
        return this;
    }

    /**
     * Whether the server validates each client's address with a QUIC Retry (RFC 9000 8.1.2) before
     * the TLS handshake: it answers a client's first Initial packet with a Retry carrying a token, and
     * starts the handshake only when the client's next Initial returns that token from the same
     * address and port. A client that forges its source address never receives the token, so the
     * server does no key exchange and no signature for it and sends it nothing but the Retry. The
     * clients of this library follow a Retry without any setting. Only a transport that claims
     * {@link quicpool.api.spi.Capability#RETRY} supports it: Netty does; Kwik and the in-memory
     * transport do not, and {@link #build()} refuses {@code retry(true)} with them.
     *
     * <p>Default {@code false}: a Retry costs every dial one more round trip (each shard of a client
     * pool dials its own connection), the {@link #allowClient(String) allow-list} and the connection
     * limits already refuse sources at their first packet, and a forged source cannot complete a
     * handshake either way. Turn it on for a Netty server open to anyone on the internet.
     *
     * <p>The token (Netty) is stateless: an HMAC-SHA256, under a key drawn at random when the pool
     * starts, over the client's address, port, the connection ID it first chose and an expiry 10 s
     * later; the server keeps no state until a valid token returns. Kwik 0.10.8's own Retry creates
     * a connection, with its threads, for each client it sends a Retry to, and keeps it until the
     * pool closes when the token never returns: the state a Retry exists to avoid.
     *
     * @throws IllegalArgumentException from {@link #build()} if {@code retry} is true and the
     *                                  transport does not claim {@code Capability.RETRY}
     */
    public ServerPoolBuilder retry(boolean retry) {
        this.retry = retry;
        return this;
    }

    /**
     * QUIC and TLS handshakes the server has in progress at most, from all clients together. Default
     * {@value #DEFAULT_MAX_HANDSHAKES}. A handshake is in progress from the client's first admitted
     * packet (a source address and port not seen in one yet) until it completes, fails, or its
     * bound ({@link #handshakeTimeout(Duration)}) has passed; while this many are, a new source is
     * refused at its first packet, unanswered (counted in {@link PoolStats#refusedAtAdmission()}),
     * and its client's dial times out or retries. This bounds the TLS work and the per-handshake
     * state a flood of first flights costs the server. Without address validation a source may be
     * forged: a flood of first packets from many forged ports holds the slots for the bound, during
     * which new clients are refused while connected ones are served. On a transport that cannot see
     * packets it has no effect.
     *
     * @throws IllegalArgumentException from {@link #config()} and {@link #build()}, unless at least 1
     */
    public ServerPoolBuilder maxHandshakes(int maxHandshakes) {
        this.maxHandshakes = maxHandshakes;
        return this;
    }

    /**
     * Streams of one connection the server waits for at most while they have not sent their
     * handshake byte ({@code 0x00}). Default {@value #DEFAULT_MAX_PENDING_STREAMS_PER_CONNECTION}.
     * A new stream whose byte has not arrived when the server takes it up holds one of the server's
     * 64 handshake threads until the byte arrives or {@link #handshakeTimeout(Duration)} passes; at
     * most 48 such streams wait at once, all connections together, so that some threads are always
     * free for streams whose byte is there. A stream that would wait is closed at once (counted in
     * {@link PoolStats#refused()}, and logged at INFO at most once per 10 s with a count) when its
     * connection already has this many waiting, or when 48 wait and no connection has more waiting
     * than its own. When 48 wait and another connection has more, the oldest waiting stream of the
     * connection with the most is closed instead (counted and logged the same way) and the new
     * stream waits: a client whose streams send their byte at once is served however many silent
     * streams others open. Values above 48 act as 48. A transport whose server learns of a stream
     * only with its first byte (Netty) rarely makes one wait.
     *
     * @throws IllegalArgumentException from {@link #config()} and {@link #build()}, unless at least 1
     */
    public ServerPoolBuilder maxPendingStreamsPerConnection(int maxPendingStreamsPerConnection) {
        this.maxPendingStreamsPerConnection = maxPendingStreamsPerConnection;
        return this;
    }

    /**
     * The UDP address to bind; port 0 lets the system choose ({@link ServerPool#localAddress()}).
     * No default: required.
     *
     * @throws NullPointerException     if it is null
     * @throws IllegalArgumentException from {@link #build()} if never set
     */
    public ServerPoolBuilder listen(InetSocketAddress address) {
        this.listenAddress = Objects.requireNonNull(address, "listen address");
        return this;
    }

    /**
     * The server's certificate chain and private key as PEM files. The key must be PKCS#8
     * ({@code -----BEGIN PRIVATE KEY-----}), EC or RSA. No default: this or {@link
     * #keyStore(KeyStore, String, char[])} is required; the later call replaces the earlier.
     *
     * @throws NullPointerException     if either is null
     * @throws UncheckedIOException     if a file cannot be read
     * @throws IllegalArgumentException if a file holds no certificate or no usable key
     */
    public ServerPoolBuilder certificate(Path certificateChainPem, Path privateKeyPem) {
        Objects.requireNonNull(certificateChainPem, "certificateChainPem");
        Objects.requireNonNull(privateKeyPem, "privateKeyPem");
        try {
            char[] password = new char[0];
            return keyStore(Pem.keyStore(certificateChainPem, privateKeyPem, "quicpool", password), "quicpool", password);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The server's key entry in a key store; the password is copied. No default: this or {@link
     * #certificate(Path, Path)} is required; the later call replaces the earlier.
     *
     * @throws NullPointerException     if any is null
     * @throws IllegalArgumentException from {@link #build()} if the store has
     *                                  no readable key entry with a certificate chain under
     *                                  {@code alias}
     */
    public ServerPoolBuilder keyStore(KeyStore keyStore, String alias, char[] password) {
        this.keyStore = Objects.requireNonNull(keyStore, "keyStore");
        this.keyAlias = Objects.requireNonNull(alias, "alias");
        this.keyPassword = Objects.requireNonNull(password, "password").clone();
        return this;
    }

    /**
     * Checks the configuration and makes the pool, not yet started.
     *
     * @throws IllegalArgumentException naming the field, its value and the rule it breaks
     * @throws IllegalStateException    if no engine or no usable transport is on the module path
     */
    public ServerPool build() {
        return Services.engine().newServerPool(config(), Services.transport(transportName, transport));
    }

    /**
     * Checks the configuration and returns it, without looking for an engine or transport: the
     * hand-off to the engine, read by its tests through {@link BuilderConfigs#server}.
     *
     * @throws IllegalArgumentException naming the field, its value and the rule it breaks
     */
    ServerPoolConfig config() {
        checkShared();
        Check.range("maxCapacity", maxCapacity, 1, Integer.MAX_VALUE);
        Check.range("maxConnections", maxConnections, 1, Integer.MAX_VALUE);
        Check.range("maxConnectionsPerAddress", maxConnectionsPerAddress, 1, maxConnections);
        Check.range("maxHandshakes", maxHandshakes, 1, Integer.MAX_VALUE);
        Check.range("maxPendingStreamsPerConnection", maxPendingStreamsPerConnection, 1, Integer.MAX_VALUE);
        if (listenAddress == null) {
            throw new IllegalArgumentException("listen address is not set: call listen(new InetSocketAddress(host, port))");
        }
        if (keyStore == null) {
            throw new IllegalArgumentException("server key material is not set: call certificate(certPem, keyPem) or keyStore(...)");
        }
        Check.keyEntry(keyStore, keyAlias, keyPassword);
        return new ServerPoolConfig(maxCapacity, allowedClients, listenAddress, keyStore, keyAlias,
                keyPassword.clone(), keepAlive, handshakeTimeout, leakDetectionThreshold, name, metrics, threadFactory,
                maxConnections, maxConnectionsPerAddress, retry, maxHandshakes, maxPendingStreamsPerConnection);
    }
}
