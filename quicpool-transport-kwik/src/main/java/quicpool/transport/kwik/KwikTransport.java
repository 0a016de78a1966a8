// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik;

import java.io.IOException;
import java.util.Objects;
import java.util.Set;
import quicpool.api.spi.Capability;
import quicpool.api.spi.ConnectionHandler;
import quicpool.api.spi.DialSpec;
import quicpool.api.spi.ListenSpec;
import quicpool.api.spi.QuicTransport;
import quicpool.api.spi.TransportConnection;
import quicpool.api.spi.TransportListener;

/**
 * quicpool's QUIC transport on Kwik, a QUIC stack in pure Java: no native library, any platform.
 * Found through {@link java.util.ServiceLoader} under the name {@value #NAME}.
 *
 * <p>What to know about Kwik 0.10:
 * <ul>
 *   <li>each connection runs about eight platform threads of its own (receiver, sender, timers,
 *       callbacks, keep-alive);</li>
 *   <li>Kwik's own keep-alive pings every (idle timeout / 2) whole seconds from a non-daemon
 *       thread per connection that outlives it; this transport instead sends a one-byte DATAGRAM
 *       every keep-alive period from one shared daemon thread, and uses Kwik's PINGs only with a
 *       server that does not announce the DATAGRAM extension (its listener does);</li>
 *   <li>the dial's trust manager alone judges the server's certificate, hostname included;
 *       the server name is always sent as SNI, even an IP address;</li>
 *   <li>the server side cannot learn the negotiated cipher suite: its {@code TlsInfo} says
 *       {@code "unknown"};</li>
 *   <li>closing a listener closes the connections it accepted (they share its socket);</li>
 *   <li>Kwik's server keeps a handshake it refuses in the client's first flight (another ALPN),
 *       with two threads, until the client sends again, and tells no one; the listener's socket
 *       ends it and reports it to {@code ConnectionHandler.onHandshakeFailed}. Other failed
 *       handshakes (a client that refuses the certificate or gives up) are not reported;</li>
 *   <li>Kwik's server keeps any datagram that claims to be a client's first Initial packet as a
 *       connection attempt for 30 s, even one it cannot decrypt; the listener's socket drops
 *       client Initial packets that cannot be decrypted (as RFC 9001 requires) before Kwik sees
 *       them;</li>
 *   <li>a race in Kwik's stream output can leave written bytes unsent until the stream's next
 *       write or close; writes are handed to Kwik in frame-sized chunks, which makes it rare.</li>
 * </ul>
 */
public final class KwikTransport implements QuicTransport {

    /** The transport's name, {@value}. */
    public static final String NAME = "kwik";
    /** The transport's priority among those available: {@value}. */
    public static final int PRIORITY = 10;

    /** Called by {@link java.util.ServiceLoader}. */
    public KwikTransport() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    /**
     * {@link Capability#HANDSHAKE_FAILED} only (for the handshakes refused in the client's first
     * flight). Kwik 0.10.8 reports a peer's CONNECTION_CLOSE as "No error", without its reason
     * phrase, and this transport does not watch for a peer's RESET_STREAM or STOP_SENDING.
     */
    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.PEER_ABORT, Capability.HANDSHAKE_FAILED);
    }

    @Override
    public TransportConnection connect(DialSpec spec) throws IOException, InterruptedException {
        return KwikDialer.dial(Objects.requireNonNull(spec, "spec"));
    }

    @Override
    public TransportListener listen(ListenSpec spec, ConnectionHandler handler) throws IOException {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(handler, "handler");
        return KwikListener.bind(spec, handler);
    }

    @Override
    public String toString() {
        return "KwikTransport";
    }
}
