// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik;

import java.net.InetSocketAddress;
import java.util.function.IntSupplier;
import quicpool.api.spi.ConnectionHandler;
import quicpool.api.spi.QuicSettings;
import quicpool.api.spi.StreamHandler;
import quicpool.transport.kwik.workaround.ListenerSocket;
import quicpool.transport.kwik.workaround.LossTimer;
import quicpool.transport.kwik.workaround.PathMtuProbe;
import quicpool.transport.kwik.workaround.RebindingWatch;
import quicpool.transport.kwik.workaround.SenderThreadActions;
import tech.kwik.core.QuicConnection;
import tech.kwik.core.QuicStream;
import tech.kwik.core.server.ApplicationProtocolConnection;
import tech.kwik.core.server.ApplicationProtocolConnectionFactory;
import tech.kwik.core.server.ServerConnection;

/**
 * Turns the connections Kwik's server completes into SPI connections: hands each to the
 * connection handler before any of its streams, then the peer's streams to the stream handler.
 *
 * <p>Kwik calls {@link #createConnection} on the connection's packet thread once the handshake is
 * done, and delivers streams on the connection's callback thread; the handlers promise not to
 * block, and nothing here reads or writes.
 */
final class AcceptedConnections implements ApplicationProtocolConnectionFactory {

    private static final System.Logger LOG = System.getLogger("quicpool.transport.kwik");

    private final ConnectionHandler handler;
    private final QuicSettings settings;
    private final InetSocketAddress localAddress;
    private final ListenerSocket socket;

    AcceptedConnections(ConnectionHandler handler, QuicSettings settings, InetSocketAddress localAddress,
                        ListenerSocket socket) {
        this.handler = handler;
        this.settings = settings;
        this.localAddress = localAddress;
        this.socket = socket;
    }

    /**
     * Nothing may be thrown from here or from {@code acceptPeerInitiatedStream}: on Kwik's packet
     * thread an exception makes Kwik drop the connection from its table and end that thread, without
     * a word to the client, whose packets then go unanswered until its keep-alive or idle timeout.
     */
    @Override
    public ApplicationProtocolConnection createConnection(String protocol, QuicConnection quic) {
        InetSocketAddress remote = ((ServerConnection) quic).getInitialRemoteAddress();
        try {
            return accept(protocol, quic, remote);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "accepting the connection from " + remote + " failed; closing it", e);
            closeQuietly(quic, remote);
            return new ApplicationProtocolConnection() {
                @Override
                public void acceptPeerInitiatedStream(QuicStream stream) {
                    refuse(stream);
                }
            };
        }
    }

    private ApplicationProtocolConnection accept(String protocol, QuicConnection quic, InetSocketAddress remote) {
        socket.handshakeCompleted(remote);
        CloseSignal ended = new CloseSignal();
        quic.setConnectionListener(event -> ended.fire(KwikDialer.describe(event)));
        SenderThreadActions senderThread = socket.senderThreadFor(remote);
        senderThread.attach(quic);
        LossTimer.install(quic);
        IntSupplier udpPayload = PathMtuProbe.start(quic, senderThread, socket.takeClientPayloadLimit(remote));
        ended.register(() -> socket.forget(remote, senderThread));
        KwikConnection connection = new KwikConnection(quic, localAddress, remote, TlsFacts.server(protocol), ended,
                settings.maxBidiStreams(), senderThread, settings.keepAlive(), udpPayload);
        StreamHandler streams;
        try {
            streams = handler.onConnection(connection);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "the connection handler failed; closing the connection from " + remote, e);
            connection.close(0, "server error");
            streams = null;
        }
        // A client that moved to another address (a NAT rebinding) is not followed by Kwik: end its connection.
        RebindingWatch rebindings = socket.rebindings();
        if (rebindings != null) {
            ended.register(rebindings.track(remote, why -> connection.close(0, why)));
        }
        StreamHandler target = streams;
        return new ApplicationProtocolConnection() {
            @Override
            public void acceptPeerInitiatedStream(QuicStream stream) {
                deliver(target, connection, stream, remote);
            }
        };
    }

    private static void deliver(StreamHandler target, KwikConnection connection, QuicStream quicStream,
                                InetSocketAddress remote) {
        KwikStream stream;
        try {
            stream = connection.stream(quicStream);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "taking stream " + quicStream.getStreamId() + " from " + remote
                    + " failed; resetting it", e);
            refuse(quicStream);
            return;
        }
        if (target == null || quicStream.isUnidirectional()) {
            stream.close();
            return;
        }
        try {
            target.onStream(stream);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "the stream handler failed; closing stream " + stream.streamId()
                    + " from " + remote, e);
            stream.close();
        }
    }

    /** Ends both directions of a stream nobody will serve. */
    private static void refuse(QuicStream stream) {
        try {
            stream.abortReading(0);
            stream.resetStream(0);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "resetting stream " + stream.getStreamId() + " failed: " + e);
        }
    }

    private static void closeQuietly(QuicConnection quic, InetSocketAddress remote) {
        try {
            quic.close(0, "server error");
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "closing the connection from " + remote + " failed", e);
        }
    }

    @Override
    public int maxConcurrentPeerInitiatedBidirectionalStreams() {
        return settings.maxBidiStreams();
    }

    @Override
    public int maxConcurrentPeerInitiatedUnidirectionalStreams() {
        return 0;
    }

    /** Announced so that clients can keep idle connections alive with DATAGRAM probes; their payload is dropped. */
    @Override
    public boolean enableDatagramExtension() {
        return true;
    }
}
