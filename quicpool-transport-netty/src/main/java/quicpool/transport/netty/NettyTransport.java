// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.netty;

import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import quicpool.api.spi.Capability;
import quicpool.api.spi.ConnectionHandler;
import quicpool.api.spi.DialSpec;
import quicpool.api.spi.ListenSpec;
import quicpool.api.spi.QuicTransport;
import quicpool.api.spi.TransportConnection;
import quicpool.api.spi.TransportListener;

/**
 * quicpool's transport on Netty's native QUIC codec (quiche and BoringSSL): name {@code "netty"},
 * priority 20, preferred over the pure-Java Kwik transport when its native library is present.
 *
 * <p>Each instance owns one small event-loop group of daemon threads, created when the first
 * listener or connection needs it and shut down when the last one has closed.
 *
 * <p>Keep-alive: quiche cannot send PING frames on request, so this transport sends a one-byte
 * DATAGRAM frame (RFC 9221, ack-eliciting like PING) every {@code keepAlive} period to peers that
 * announce the DATAGRAM extension, as this transport does on both ends.
 */
public final class NettyTransport implements QuicTransport {

    private final SharedEventLoops loops = new SharedEventLoops();
    private final NettyDialer dialer = new NettyDialer(loops, new ClientSslContexts());

    /** Found by {@link java.util.ServiceLoader}; may also be passed to a pool builder directly. */
    public NettyTransport() {
    }

    @Override
    public String name() {
        return "netty";
    }

    @Override
    public int priority() {
        return 20;
    }

    /** Every one: peer aborts, the peer's close reason, failed handshakes. */
    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.PEER_ABORT, Capability.CLOSE_REASON, Capability.HANDSHAKE_FAILED, Capability.RETRY);
    }

    @Override
    public Optional<String> unavailableReason() {
        return NativeQuic.unavailableReason();
    }

    @Override
    public TransportConnection connect(DialSpec spec) throws IOException, InterruptedException {
        Objects.requireNonNull(spec, "spec");
        requireAvailable();
        return dialer.dial(spec);
    }

    @Override
    public TransportListener listen(ListenSpec spec, ConnectionHandler handler) throws IOException {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(handler, "handler");
        requireAvailable();
        return NettyListener.bind(spec, handler, loops);
    }

    /** The event loops; for tests. */
    SharedEventLoops eventLoops() {
        return loops;
    }

    private static void requireAvailable() throws IOException {
        Optional<String> reason = NativeQuic.unavailableReason();
        if (reason.isPresent()) {
            throw new IOException(reason.get());
        }
    }
}
