// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;
import quicpool.api.spi.DialSpec;
import quicpool.api.spi.QuicSettings;
import quicpool.api.spi.TransportConnection;
import quicpool.transport.kwik.workaround.LossDetectorAssertion;
import quicpool.transport.kwik.workaround.NotifyingDatagramSocket;
import quicpool.transport.kwik.workaround.LossTimer;
import quicpool.transport.kwik.workaround.PathMtuProbe;
import quicpool.transport.kwik.workaround.WarningGuard;
import tech.kwik.core.ConnectionTerminatedEvent;
import tech.kwik.core.QuicClientConnection;

/** Dials one client connection: builds it, runs the handshake within the connect timeout, cleans up on failure. */
final class KwikDialer {

    private static final System.Logger LOG = System.getLogger("quicpool.transport.kwik");

    static {
        LossDetectorAssertion.disable(); // before any Kwik connection exists
    }
    /** Time granted beyond the connect timeout for Kwik to report its own timeout. */
    private static final Duration GRACE = Duration.ofMillis(500);
    /** How Kwik 0.10.8's connect words its own timeout ({@code QuicClientConnectionImpl.connect}). */
    private static final String KWIK_CONNECT_TIMEOUT = "Connection timed out";

    private KwikDialer() {
    }

    static TransportConnection dial(DialSpec spec) throws IOException, InterruptedException {
        QuicSettings settings = KwikSettings.check(spec.settings());
        InetSocketAddress remote = spec.remote();
        if (remote.isUnresolved()) {
            throw new UnknownHostException("the remote address must be resolved, was " + remote);
        }
        if (spec.serverName().isBlank()) {
            throw new IllegalArgumentException("serverName must not be blank (it is sent as SNI), was \""
                    + spec.serverName() + "\"");
        }
        CloseSignal ended = new CloseSignal();
        RecordingTrustManager trust = new RecordingTrustManager(spec.trustManager());
        AtomicReference<NotifyingDatagramSocket> socket = new AtomicReference<>();

        QuicClientConnection quic;
        try {
            quic = build(spec, settings, trust, socket);
        } catch (IOException | RuntimeException e) {
            closeSocket(socket);
            throw e;
        }
        NotifyingDatagramSocket udp = socket.get();
        if (udp == null) {
            throw new IllegalStateException("Kwik built a connection without asking for its socket");
        }
        InetSocketAddress local = (InetSocketAddress) udp.getLocalSocketAddress(); // null once closed
        udp.onClose(ended::fire);
        udp.senderThread().attach(quic);
        CompletableFuture<String> terminated = new CompletableFuture<>();
        quic.setConnectionListener(event -> {
            String why = describe(event);
            LOG.log(System.Logger.Level.DEBUG, () -> "connection to " + remote + " ended: " + why);
            terminated.complete(why);
            ended.fire(why);
        });
        // The SPI gives a client no handler for streams its server opens: close them, so their credit returns.
        quic.setPeerInitiatedStreamCallback(stream -> {
            LOG.log(System.Logger.Level.DEBUG, () -> "closing stream " + stream.getStreamId() + " opened by " + remote);
            new KwikStream(stream, udp.senderThread(), null, Optional::empty).close();
        });

        handshake(quic, spec, trust, udp, ended, terminated);
        LossTimer.install(quic); // after the handshake, as on the server: its probes stay on Kwik's own timer
        IntSupplier udpPayload = PathMtuProbe.start(quic, udp.senderThread(), PathMtuProbe.serverLimit(quic));

        KeepAlive.start(quic, settings, ended, remote, udp);
        // Kwik stops its threads (and its own keep-alive, if used) only when closed locally: do so on every end.
        ended.register(quic::close);
        return new KwikConnection(quic, local, remote,
                TlsFacts.client(settings.applicationProtocol(), quic.getServerCertificateChain()), ended,
                settings.maxBidiStreams(), udp.senderThread(), settings.keepAlive(), udpPayload);
    }

    private static QuicClientConnection build(DialSpec spec, QuicSettings settings, RecordingTrustManager trust,
                                              AtomicReference<NotifyingDatagramSocket> socket) throws IOException {
        InetSocketAddress remote = spec.remote();
        QuicClientConnection.Builder builder = QuicClientConnection.newBuilder()
                .host(spec.serverName())                      // SNI
                .proxy(remote.getAddress().getHostAddress())  // where packets go: no DNS look-up
                .port(remote.getPort())
                .connectTimeout(spec.connectTimeout())
                .logger(KwikLog.INSTANCE)
                .enableDatagramExtension()                    // keep-alive probes (see KeepAlive)
                .noServerCertificateCheck()                   // off: Kwik's DNS-only hostname check ...
                .customTrustManager(trust)                    // ... on: the dial's trust manager, sole judge
                .socketFactory(address -> {
                    NotifyingDatagramSocket created = SocketBuffers.enlarge(new NotifyingDatagramSocket(remote));
                    socket.set(created);
                    return created;
                });
        KwikSettings.applyTo(builder, settings);
        QuicClientConnection quic = WarningGuard.quietly(builder::build);
        KwikSettings.applyStreamWindow(quic, settings);
        return quic;
    }

    /**
     * Runs Kwik's connect on a worker, bounded by the connect timeout. Also ends as soon as the
     * connection ends during the handshake: Kwik's connect learns of a CONNECTION_CLOSE (the
     * server's "no_application_protocol", or this end's own refusal of the certificate) only when
     * the draining period is over, which can outlast the connect timeout, whereas the connection
     * listener hears of it at once.
     *
     * <p>Either way a handshake the connection's end cut short fails with the same message, built
     * from Kwik's connection-ended event ({@code terminated}), which names a TLS alert (for example
     * {@code no_application_protocol}); Kwik's connect, when it wins, words it otherwise.
     */
    private static void handshake(QuicClientConnection quic, DialSpec spec, RecordingTrustManager trust,
                                  NotifyingDatagramSocket udp, CloseSignal ended, CompletableFuture<String> terminated)
            throws IOException, InterruptedException {
        CompletableFuture<Void> connected = new CompletableFuture<>();
        CompletableFuture<Void> endedEarly = new CompletableFuture<>();
        Future<?> connecting = Workers.pool().submit(() -> {
            try {
                quic.connect();
                connected.complete(null);
            } catch (Throwable t) {
                connected.completeExceptionally(t);
            }
        });
        ended.register(() -> endedEarly.complete(null));
        Duration bound = spec.connectTimeout().plus(GRACE);
        try {
            CompletableFuture.anyOf(connected, endedEarly).get(bound.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            // connect failed: examined below
        } catch (TimeoutException e) {
            // Kwik did not keep its own timeout: interrupting it makes it abort the handshake.
            connecting.cancel(true);
            udp.close();
            throw timedOut(spec, udp, null);
        } catch (InterruptedException e) {
            connecting.cancel(true);
            udp.close();
            throw e;
        }
        try {
            if (connected.isDone()) {
                connected.get();
                return;
            }
            // The connection ended while Kwik still waits. Its connection-ended event, which names the
            // TLS alert, can trail the end that woke us (Kwik closing the socket): wait for it first.
            String why = eventOf(null, terminated);
            if (why == null && connected.isCompletedExceptionally()) {
                // No close from either end: Kwik closed the socket on its own timeout, then said so.
                connected.get();
            }
            // Interrupting Kwik makes it abort the handshake.
            connecting.cancel(true);
            udp.close();
            throw failure(spec, trust, endedDuringHandshake(why != null ? why : ended.reason().orElse(null), null), udp);
        } catch (ExecutionException e) {
            String why = eventOf(e.getCause(), terminated);
            udp.close();
            if (why == null && trust.refusal() == null && isKwikTimeout(e.getCause())) {
                throw timedOut(spec, udp, e.getCause());
            }
            throw failure(spec, trust, why != null ? endedDuringHandshake(why, e.getCause()) : e.getCause(), udp);
        }
    }

    private static boolean isKwikTimeout(Throwable connectFailure) {
        String message = connectFailure == null ? null : connectFailure.getMessage();
        return message != null && message.startsWith(KWIK_CONNECT_TIMEOUT);
    }

    /** A handshake that ran out of time: what the socket sent and received tells an unanswered dial from a slow one. */
    private static SocketTimeoutException timedOut(DialSpec spec, NotifyingDatagramSocket udp, Throwable kwikTimeout) {
        SocketTimeoutException e = new SocketTimeoutException("QUIC handshake with " + describe(spec)
                + " did not complete within the connect timeout (" + spec.connectTimeout().toMillis() + " ms; "
                + udp.traffic() + ")");
        if (kwikTimeout != null) {
            e.initCause(kwikTimeout);
        }
        return e;
    }

    private static ConnectException endedDuringHandshake(String why, Throwable kwikFailure) {
        ConnectException e = new ConnectException("the connection ended during the handshake: "
                + (why != null ? why : "no reason given"));
        if (kwikFailure != null) {
            e.initCause(kwikFailure);
        }
        return e;
    }

    /**
     * The connection-ended event behind a failed connect (or, with a null {@code connectFailure},
     * behind an end seen while the connect still waits), or null for Kwik's own connect timeout,
     * which has none, or when none comes within {@link #GRACE}. Kwik queues the event on its
     * callback thread before its connect returns (on a CONNECTION_CLOSE from the server, and on
     * this end's own refusal), so the wait is short.
     */
    private static String eventOf(Throwable connectFailure, CompletableFuture<String> terminated)
            throws InterruptedException {
        if (isKwikTimeout(connectFailure)) {
            return null;
        }
        try {
            return terminated.get(GRACE.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return null;
        }
    }

    private static IOException failure(DialSpec spec, RecordingTrustManager trust, Throwable cause,
                                       NotifyingDatagramSocket udp) {
        CertificateException refusal = trust.refusal();
        if (refusal != null) {
            return new IOException("the server certificate of " + describe(spec) + " was refused by the trust manager: "
                    + refusal.getMessage(), refusal);
        }
        String reason = cause == null ? "unknown failure" : cause.getMessage() != null ? cause.getMessage() : cause.toString();
        String message = "QUIC connect to " + describe(spec) + " failed: " + reason + " (" + udp.traffic() + ")";
        IOException e = cause instanceof ConnectException ? new ConnectException(message) : new IOException(message);
        e.initCause(cause);
        return e;
    }

    private static void closeSocket(AtomicReference<NotifyingDatagramSocket> socket) {
        NotifyingDatagramSocket s = socket.get();
        if (s != null) {
            s.close();
        }
    }

    private static String describe(DialSpec spec) {
        return spec.remote() + " (server name \"" + spec.serverName() + "\")";
    }

    static String describe(ConnectionTerminatedEvent event) {
        StringBuilder b = new StringBuilder(String.valueOf(event.closeReason()));
        if (event.closedByPeer()) {
            b.append(" by the peer");
        }
        if (event.applicationErrorCode() != null) {
            b.append(", application error ").append(event.applicationErrorCode());
        }
        if (event.transportErrorCode() != null) {
            b.append(", transport error ").append(event.transportErrorCode());
        }
        String text = event.errorDescription();
        if (text != null && !text.isBlank()) {
            b.append(": ").append(text);
        }
        return b.toString();
    }
}
