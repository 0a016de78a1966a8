// SPDX-License-Identifier: Apache-2.0
package quicpool.api.spi;

import java.io.IOException;
import java.util.Optional;
import java.util.Set;

/**
 * A QUIC implementation the pool engine runs on. Implementations are found with {@link
 * java.util.ServiceLoader} ({@code provides quicpool.api.spi.QuicTransport with ...}) and must be
 * thread-safe.
 *
 * <p>When several are on the module path, the pool picks the one named by the builder, else the
 * one named by the system property {@code quicpool.transport}, else the available, auto-selectable
 * transport of highest {@link #priority()}.
 */
public interface QuicTransport {

    /** A short unique name, such as {@code "kwik"} or {@code "netty"}. */
    String name();

    /** Higher wins when several transports could serve; ties go to the name first in order. */
    default int priority() {
        return 0;
    }

    /** False for transports that must be asked for by name, such as test fixtures. */
    default boolean autoSelectable() {
        return true;
    }

    /**
     * The optional behaviours this transport has: the SPI methods behind them do nothing by default
     * (see {@link Capability}). Default: none. The compliance kit runs the tests of a capability
     * only on transports that claim it.
     */
    default Set<Capability> capabilities() {
        return Set.of();
    }

    /**
     * Empty when the transport can be used here; otherwise what is missing and how to fix it
     * (for example a native library and the flag that loads it).
     */
    default Optional<String> unavailableReason() {
        return Optional.empty();
    }

    /**
     * Dials a QUIC connection and completes its TLS handshake, within {@link
     * DialSpec#connectTimeout()}.
     *
     * @throws IOException          if the connection cannot be made, the certificate is refused
     *                              (with the trust manager's reason in the message) or the time runs out
     * @throws InterruptedException if the calling thread is interrupted
     */
    TransportConnection connect(DialSpec spec) throws IOException, InterruptedException;

    /**
     * Binds a listener and starts accepting connections. For each new connection the transport
     * calls {@code handler} before it delivers any of that connection's streams.
     *
     * @throws IOException if the address cannot be bound or the key material is unusable
     * @throws IllegalArgumentException if the spec asks for a capability the transport does not
     *                                  claim ({@link ListenSpec#retry()} without {@link Capability#RETRY})
     */
    TransportListener listen(ListenSpec spec, ConnectionHandler handler) throws IOException;
}
