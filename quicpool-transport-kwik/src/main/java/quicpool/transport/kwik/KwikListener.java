// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.security.cert.CertificateException;
import java.util.concurrent.atomic.AtomicBoolean;
import quicpool.api.spi.ConnectionHandler;
import quicpool.api.spi.ListenSpec;
import quicpool.api.spi.QuicSettings;
import quicpool.api.spi.TransportListener;
import quicpool.transport.kwik.workaround.ListenerSocket;
import quicpool.transport.kwik.workaround.LossDetectorAssertion;
import quicpool.transport.kwik.workaround.RebindingWatch;
import quicpool.transport.kwik.workaround.SourceAdmission;
import tech.kwik.core.server.ServerConnectionConfig;
import tech.kwik.core.server.ServerConnector;

/**
 * A Kwik server connector on a UDP socket of its own.
 *
 * <p>All of a connector's connections share its socket, so closing the listener ends them too
 * (Kwik sends each a CONNECTION_CLOSE and waits for them to finish closing). The socket is a
 * {@link ListenerSocket}, which drops client Initial packets from sources the {@link
 * ListenSpec#admission() admission rule} refuses and those that cannot be decrypted, and ends
 * the handshakes Kwik refuses in the client's first flight and those not completed within {@link
 * ListenSpec#handshakeTimeout()} and reports them to the handler's
 * {@link ConnectionHandler#onHandshakeFailed}, and which ends a connection whose client moved to
 * another address ({@link RebindingWatch}).
 *
 * <p>It refuses {@link ListenSpec#retry()}: Kwik 0.10.8's Retry token ({@code ServerConnectionImpl})
 * is 37 random bytes drawn for each new connection and compared byte for byte with the one the
 * client returns, so Kwik creates the connection (TLS engine, sender, connection IDs, about 4
 * threads) before it sends the Retry; its idle timer starts only once the client's transport
 * parameters arrive, so the connection of a token that never returns (a forged source's) stays
 * until the listener closes, whose {@code close()} then waits for it. That is the state a Retry
 * exists to avoid; the transport does not claim {@code Capability.RETRY}.
 */
final class KwikListener implements TransportListener {

    private static final System.Logger LOG = System.getLogger("quicpool.transport.kwik");

    static {
        LossDetectorAssertion.disable(); // before any Kwik connection exists
    }

    private final ServerConnector connector;
    private final ListenerSocket socket;
    private final InetSocketAddress localAddress;
    private final AtomicBoolean closed = new AtomicBoolean();

    private KwikListener(ServerConnector connector, ListenerSocket socket, InetSocketAddress localAddress) {
        this.connector = connector;
        this.socket = socket;
        this.localAddress = localAddress;
    }

    static KwikListener bind(ListenSpec spec, ConnectionHandler handler) throws IOException {
        QuicSettings settings = KwikSettings.check(spec.settings());
        String ecCurve = ServerKey.check(spec);
        if (spec.retry()) {
            throw new IllegalArgumentException("Kwik cannot validate addresses with a stateless QUIC Retry: its Retry"
                    + " keeps a connection and its threads for every first Initial whose token never returns;"
                    + " listen without retry, or use a transport that claims Capability.RETRY");
        }
        ServerConnectionConfig config = KwikSettings.serverConfig(settings);
        ListenerSocket socket;
        try {
            // Kwik's server refuses handshakes without telling; the socket sees the refusals.
            socket = SocketBuffers.enlarge(new ListenerSocket(spec.bindAddress(), handler::onHandshakeFailed));
        } catch (SocketException e) {
            throw new IOException("cannot bind UDP " + spec.bindAddress() + ": " + e.getMessage(), e);
        }
        InetSocketAddress local = (InetSocketAddress) socket.getLocalSocketAddress();
        // The allow-list and connection limits, at each client's first packet: before any TLS work.
        socket.admit(new SourceAdmission(spec.admission()));
        // Kwik bounds a handshake only by its idle timeout: the socket ends those that outlive the listener's bound.
        socket.boundHandshakes(spec.handshakeTimeout());
        // Kwik's server cannot follow a client to a new address: end such a connection once the old one is silent.
        socket.watchRebindings(new RebindingWatch(config.connectionIdLength(),
                settings.idleTimeout().dividedBy(2)));
        ServerConnector connector;
        try {
            connector = ServerConnector.builder()
                    .withSocket(socket)
                    .withKeyStore(spec.keyStore(), spec.keyAlias(), spec.keyPassword(), ecCurve)
                    .withConfiguration(config)
                    .withLogger(KwikLog.INSTANCE)
                    .build();
        } catch (CertificateException | RuntimeException e) {
            socket.close();
            throw new IOException("Kwik cannot use key entry \"" + spec.keyAlias() + "\": " + e.getMessage(), e);
        }
        connector.registerApplicationProtocol(settings.applicationProtocol(),
                new AcceptedConnections(handler, settings, local, socket));
        connector.start();
        LOG.log(System.Logger.Level.DEBUG, () -> "Kwik listener on " + local);
        return new KwikListener(connector, socket, local);
    }

    /** How many client Initial packets the socket kept from Kwik (undecryptable, malformed, too late). */
    long droppedInitials() {
        return socket.droppedInitials();
    }

    /** The receive buffer the kernel granted the listener's socket, in bytes (Linux reports twice the request). */
    int receiveBufferSize() throws java.net.SocketException {
        return socket.getReceiveBufferSize();
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    /**
     * Stops the connector: closes its connections, its socket and its threads. Returns once Kwik
     * has finished closing them. Idempotent.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            connector.close();
            LOG.log(System.Logger.Level.DEBUG, () -> "Kwik listener on " + localAddress + " closed; it dropped "
                    + socket.droppedInitials() + " client Initial packets a server must discard");
        }
    }

    @Override
    public String toString() {
        return "KwikListener[" + localAddress + (closed.get() ? ", closed" : "") + "]";
    }
}
