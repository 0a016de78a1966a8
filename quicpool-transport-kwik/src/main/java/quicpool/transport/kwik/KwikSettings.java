// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik;

import java.time.Duration;
import quicpool.api.spi.QuicSettings;
import tech.kwik.core.QuicClientConnection;
import tech.kwik.core.server.ServerConnectionConfig;

/**
 * Checks {@link QuicSettings} against what Kwik accepts and applies them to Kwik's client builder
 * and server configuration.
 */
final class KwikSettings {

    /** Kwik's smallest receive window per stream and connection, in bytes. */
    static final long MIN_WINDOW = 1500;
    /** Kwik's keep-alive pings every (idle timeout / 2) whole seconds: below 2 s that is 0, a busy loop. */
    static final Duration MIN_KEEP_ALIVE_IDLE_TIMEOUT = Duration.ofSeconds(2);
    /** Kwik's client builder sets the connection window to this many stream windows. */
    private static final int KWIK_CONNECTION_WINDOW_FACTOR = 10;

    private KwikSettings() {
    }

    /**
     * @throws IllegalArgumentException naming the first value Kwik cannot use and what it expects
     */
    static QuicSettings check(QuicSettings settings) {
        if (settings.applicationProtocol().isBlank()) {
            throw new IllegalArgumentException("applicationProtocol must not be blank, was \""
                    + settings.applicationProtocol() + "\"");
        }
        positive("keepAlive", settings.keepAlive());
        if (settings.idleTimeout().toMillis() < 10 || settings.idleTimeout().toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("idleTimeout must be between 10 ms and " + Integer.MAX_VALUE
                    + " ms, was " + settings.idleTimeout());
        }
        if (settings.maxBidiStreams() < 0) {
            throw new IllegalArgumentException("maxBidiStreams must be >= 0, was " + settings.maxBidiStreams());
        }
        if (settings.streamWindow() < MIN_WINDOW) {
            throw new IllegalArgumentException("streamWindow must be >= " + MIN_WINDOW + " bytes, was "
                    + settings.streamWindow());
        }
        if (settings.connectionWindow() < settings.streamWindow()) {
            throw new IllegalArgumentException("connectionWindow must be >= streamWindow (" + settings.streamWindow()
                    + " bytes), was " + settings.connectionWindow());
        }
        return settings;
    }

    private static void positive(String name, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }

    /** Whether Kwik's keep-alive can be used with these settings (see {@link #MIN_KEEP_ALIVE_IDLE_TIMEOUT}). */
    static boolean keepAliveUsable(QuicSettings settings) {
        return settings.idleTimeout().compareTo(MIN_KEEP_ALIVE_IDLE_TIMEOUT) >= 0;
    }

    /**
     * Applies the settings that Kwik's client builder takes. Kwik derives the connection window
     * from the stream window (x10); the stream window proper is set on the built connection by
     * {@link #applyStreamWindow}.
     */
    static QuicClientConnection.Builder applyTo(QuicClientConnection.Builder builder, QuicSettings settings) {
        long perTen = Math.max(MIN_WINDOW, ceilDiv(settings.connectionWindow(), KWIK_CONNECTION_WINDOW_FACTOR));
        return builder
                .applicationProtocol(settings.applicationProtocol())
                .maxIdleTimeout(settings.idleTimeout())
                .defaultStreamReceiveBufferSize(perTen)
                .maxOpenPeerInitiatedBidirectionalStreams(settings.maxBidiStreams())
                .maxOpenPeerInitiatedUnidirectionalStreams(0);
    }

    /** Sets the per-stream window on a connection that has not connected yet. */
    static void applyStreamWindow(QuicClientConnection connection, QuicSettings settings) {
        connection.setDefaultBidirectionalStreamReceiveBufferSize(settings.streamWindow());
    }

    /** The server side's connection configuration; no Retry (see {@link KwikListener}). */
    static ServerConnectionConfig serverConfig(QuicSettings settings) {
        return ServerConnectionConfig.builder()
                .maxIdleTimeout((int) settings.idleTimeout().toMillis())
                .maxConnectionBufferSize(settings.connectionWindow())
                .maxBidirectionalStreamBufferSize(settings.streamWindow())
                .maxUnidirectionalStreamBufferSize(MIN_WINDOW)
                .maxOpenPeerInitiatedBidirectionalStreams(settings.maxBidiStreams())
                .maxOpenPeerInitiatedUnidirectionalStreams(0)
                .retryRequired(false)
                .build();
    }

    private static long ceilDiv(long x, long y) {
        return -Math.floorDiv(-x, y);
    }
}
