// SPDX-License-Identifier: Apache-2.0
package quicpool.testkit;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLHandshakeException;
import quicpool.api.spi.Capability;
import quicpool.api.spi.ConnectionHandler;
import quicpool.api.spi.DialSpec;
import quicpool.api.spi.ListenSpec;
import quicpool.api.spi.QuicSettings;
import quicpool.api.spi.QuicTransport;
import quicpool.api.spi.StreamHandler;
import quicpool.api.spi.TransportConnection;

/**
 * A QUIC transport in memory, for tests and benchmarks of the pool engine. Chosen only by name
 * ({@value #NAME}) or as an instance; never auto-selected.
 *
 * <p>What it keeps from QUIC: listeners bound to addresses (port 0 picks one), the server's
 * certificate chain judged by the dial's trust manager (a refusal fails the dial with the trust
 * manager's reason), ALPN that must match, stream IDs (client streams 0, 4, 8...), stream credit
 * ({@link QuicSettings#maxBidiStreams()} of the peer, returned once both directions of a stream
 * are done: each reader saw the FIN or stopped, as {@code close()} on each end does), per-stream
 * flow control (a bounded buffer per direction of {@link QuicSettings#streamWindow()} bytes of
 * the receiver), FIN, STOP_SENDING on close, and connection close failing every stream with the
 * reason. The server's connection handler runs on a transport thread before {@link #connect}
 * returns; peer-opened streams reach the stream handler on a transport thread.
 *
 * <p>What it leaves out: packets, loss, keep-alive and the idle timeout (connections live until
 * closed or {@linkplain #killConnections() killed}), the connection-wide flow-control window,
 * and server-initiated streams (the SPI gives clients no stream handler, so a server side's
 * {@code openStream} fails).
 *
 * <p>Faults (this transport's alone, whichever side it plays): {@link #failNextDials}, {@link
 * #failNextStreamOpens}, {@link #streamOpenLatency}, {@link #streamBufferLimit}, {@link
 * #killConnections}. A pool given this transport by name ({@code "in-memory"}) gets a fresh
 * instance on the {@linkplain InMemoryNetwork#shared() shared network}; pass the instance to the
 * builder to reach its faults.
 */
public final class InMemoryTransport implements QuicTransport {
    /** The name the transport is chosen by. */
    public static final String NAME = "in-memory";
    private static final System.Logger LOG = System.getLogger("quicpool.testkit.inmemory");

    private final InMemoryNetwork network;
    private final Faults faults = new Faults();
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private volatile InetAddress clientAddress;

    /** A transport on the JVM-wide {@link InMemoryNetwork#shared()} network. */
    public InMemoryTransport() {
        this(InMemoryNetwork.shared());
    }

    /** A transport on {@code network}. */
    public InMemoryTransport(InMemoryNetwork network) {
        this.network = Objects.requireNonNull(network, "network");
    }

    /** {@value #NAME} */
    @Override
    public String name() {
        return NAME;
    }

    /** False: a test fixture must be asked for. */
    @Override
    public boolean autoSelectable() {
        return false;
    }

    /** Every one: peer aborts (the peer stopped reading), the peer's close reason, failed handshakes. */
    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.PEER_ABORT, Capability.CLOSE_REASON, Capability.HANDSHAKE_FAILED);
    }

    /** The network this transport dials and listens in. */
    public InMemoryNetwork network() {
        return network;
    }

    /**
     * {@inheritDoc}
     *
     * <p>In memory: refuses at once ({@link java.net.ConnectException}) when nothing listens at the
     * address; runs {@code checkServerTrusted(chain, key algorithm)} of the spec's trust manager
     * and fails with an {@link SSLHandshakeException} holding its reason; requires equal ALPNs
     * (both failures also reach the listener's {@code onHandshakeFailed}); then runs the
     * listener's handler on a transport thread and waits for it (at most the connect timeout). If
     * the handler returns {@code null}, the returned connection is already closed.
     */
    @Override
    public TransportConnection connect(DialSpec spec) throws IOException, InterruptedException {
        Objects.requireNonNull(spec, "spec");
        QuicSettings settings = checked(spec.settings());
        if (faults.takeDialFailure()) {
            throw new IOException("injected fault: dial to " + spec.remote() + " failed");
        }
        InMemoryListener listener = network.find(spec.remote());
        try {
            checkTrusted(spec, listener.chain());
            String offered = settings.applicationProtocol();
            String accepted = listener.settings().applicationProtocol();
            if (!offered.equals(accepted)) {
                throw new SSLHandshakeException("no application protocol: the client offers \"" + offered
                        + "\" but the server at " + spec.remote() + " accepts only \"" + accepted + "\"");
            }
        } catch (SSLHandshakeException e) {
            InetSocketAddress from = new InetSocketAddress(clientAddress(), 0);
            network.executor().execute(() -> listener.handler().onHandshakeFailed(from, e.getMessage()));
            throw e;
        }

        InetSocketAddress local = new InetSocketAddress(clientAddress(), network.allocateClientPort());
        Link link = new Link(network, this, settings, local, listener, spec.remote());
        links.add(link);
        listener.transport().links.add(link);
        network.added(link);
        if (!listener.added(link.server())) {
            link.close(0, "listener closed");
            throw new ConnectException("connection refused: the listener at " + spec.remote() + " closed");
        }
        handshake(link, listener, spec.connectTimeout());
        return link.client();
    }

    /**
     * {@inheritDoc}
     *
     * <p>In memory: port 0 picks a free port of the network; a taken port fails with {@link
     * java.net.BindException}. The key entry must hold a private key and an X.509 chain.
     */
    @Override
    public InMemoryListener listen(ListenSpec spec, ConnectionHandler handler) throws IOException {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(handler, "handler");
        QuicSettings settings = checked(spec.settings());
        List<X509Certificate> chain = serverChain(spec);
        return network.bind(spec.bindAddress(),
                address -> new InMemoryListener(network, this, address, chain, settings, handler));
    }

    /**
     * Makes this transport's dials appear to come from {@code address} (for allow-list tests);
     * {@code null} goes back to the network's {@linkplain InMemoryNetwork#clientAddress() default}.
     *
     * @return this transport
     */
    public InMemoryTransport clientAddress(InetAddress address) {
        clientAddress = address;
        return this;
    }

    /** The address this transport's dials come from. */
    public InetAddress clientAddress() {
        InetAddress own = clientAddress;
        return own != null ? own : network.clientAddress();
    }

    /**
     * Fails this transport's next {@code n} dials with an {@link IOException}, replacing any
     * count left; 0 stops failing.
     *
     * @return this transport
     */
    public InMemoryTransport failNextDials(int n) {
        faults.failNextDials(n);
        return this;
    }

    /**
     * Fails the next {@code n} {@code openStream} calls on connections this transport dialed or
     * accepted (whichever side opens) with an {@link IOException}, replacing any count left; 0
     * stops failing. Set on a client's or a server's transport alike.
     *
     * @return this transport
     */
    public InMemoryTransport failNextStreamOpens(int n) {
        faults.failNextStreamOpens(n);
        return this;
    }

    /**
     * Makes every later {@code openStream} on connections this transport dialed or accepted wait
     * {@code latency} (the longer of both sides' latencies) before it takes credit and delivers
     * the stream; {@link Duration#ZERO} stops it. The wait ends early with an {@link IOException}
     * if the connection ends.
     *
     * @return this transport
     */
    public InMemoryTransport streamOpenLatency(Duration latency) {
        faults.streamOpenLatency(latency);
        return this;
    }

    /**
     * Caps the receive buffer of streams opened later, on the sides this transport plays, to
     * {@code bytes} (below {@link QuicSettings#streamWindow()}), so flow control blocks writers
     * sooner.
     *
     * @return this transport
     */
    public InMemoryTransport streamBufferLimit(int bytes) {
        faults.streamBufferLimit(bytes);
        return this;
    }

    /**
     * Ends every live connection this transport dialed or accepted, as if the network died: both
     * sides see the close, with reason {@code "killed"}.
     *
     * @return how many connections were ended
     */
    public int killConnections() {
        return InMemoryNetwork.killAll(links);
    }

    /** Live connections this transport dialed or accepted. */
    public int liveConnections() {
        return links.size();
    }

    /** The server sides of the live connections accepted by this transport's listeners. */
    public List<TransportConnection> serverConnections() {
        List<TransportConnection> servers = new ArrayList<>();
        for (Link link : links) {
            if (link.listener().transport() == this && link.isOpen()) {
                servers.add(link.server());
            }
        }
        return servers;
    }

    @Override
    public String toString() {
        return "InMemoryTransport[" + network + ", live=" + links.size() + "]";
    }

    Faults faults() {
        return faults;
    }

    void removed(Link link) {
        links.remove(link);
    }

    private void handshake(Link link, InMemoryListener listener, Duration connectTimeout)
            throws IOException, InterruptedException {
        InMemoryConnection server = link.server();
        CompletableFuture<StreamHandler> accepted = new CompletableFuture<>();
        server.thread().execute(() -> {
            try {
                StreamHandler streams = listener.handler().onConnection(server);
                server.streamHandler(streams);
                accepted.complete(streams);
            } catch (RuntimeException | Error e) {
                accepted.completeExceptionally(e);
            }
        });
        StreamHandler streams;
        try {
            streams = accepted.get(Nanos.of(connectTimeout), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            link.close(0, "dial interrupted");
            throw e;
        } catch (TimeoutException e) {
            link.close(0, "handshake timed out");
            throw new IOException("handshake with " + link + " timed out after " + connectTimeout
                    + ": the server's connection handler did not return");
        } catch (ExecutionException e) {
            LOG.log(Level.WARNING, "connection handler of " + listener + " failed; " + link + " closed", e.getCause());
            link.close(0, "connection handler failed: " + e.getCause());
            return;
        }
        if (streams == null) {
            // The handler closed the connection (or should have): the server drops it.
            link.close(0, "closed by the server's connection handler");
        }
    }

    private static void checkTrusted(DialSpec spec, List<X509Certificate> chain) throws SSLHandshakeException {
        X509Certificate[] certs = chain.toArray(X509Certificate[]::new);
        String authType = certs[0].getPublicKey().getAlgorithm();
        try {
            spec.trustManager().checkServerTrusted(certs, authType);
        } catch (CertificateException | RuntimeException e) {
            SSLHandshakeException refused = new SSLHandshakeException("server certificate of " + spec.remote()
                    + " (" + spec.serverName() + ") refused by the trust manager: " + e.getMessage());
            refused.initCause(e);
            throw refused;
        }
    }

    private static List<X509Certificate> serverChain(ListenSpec spec) throws IOException {
        try {
            Key key = spec.keyStore().getKey(spec.keyAlias(), spec.keyPassword());
            Certificate[] chain = spec.keyStore().getCertificateChain(spec.keyAlias());
            if (!(key instanceof PrivateKey) || chain == null || chain.length == 0) {
                throw new IOException("key store has no private key entry with a certificate chain under alias \""
                        + spec.keyAlias() + "\"");
            }
            List<X509Certificate> certs = new ArrayList<>();
            for (Certificate c : chain) {
                if (!(c instanceof X509Certificate)) {
                    throw new IOException("key entry \"" + spec.keyAlias() + "\" holds a " + c.getType()
                            + " certificate, expected X.509");
                }
                certs.add((X509Certificate) c);
            }
            return certs;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read key entry \"" + spec.keyAlias() + "\" from the key store: "
                    + e.getMessage(), e);
        }
    }

    private static QuicSettings checked(QuicSettings settings) {
        if (settings.maxBidiStreams() < 1) {
            throw new IllegalArgumentException("maxBidiStreams must be >= 1, was " + settings.maxBidiStreams());
        }
        if (settings.streamWindow() < 1) {
            throw new IllegalArgumentException("streamWindow must be >= 1 byte, was " + settings.streamWindow());
        }
        return settings;
    }
}
