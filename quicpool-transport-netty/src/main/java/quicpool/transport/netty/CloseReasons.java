// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.netty;

import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Words for why a connection ended, in the form {@code "application error 0: unauthorized IP"}. */
final class CloseReasons {

    private CloseReasons() {
    }

    /** The peer's CONNECTION_CLOSE. */
    static String byPeer(QuicConnectionCloseEvent event) {
        String phrase = reasonPhrase(event);
        String kind;
        if (event.isApplicationClose()) {
            kind = "application error " + event.error();
        } else if (event.isTlsError()) {
            int alert = QuicConnectionCloseEvent.extractTlsError(event.error());
            kind = "TLS alert " + alert + alertName(alert);
        } else {
            kind = "transport error 0x" + Integer.toHexString(event.error());
        }
        return kind + (phrase.isEmpty() ? "" : ": " + phrase);
    }

    /** The reason phrase, or "" when the peer sent none (Netty's {@code reason()} then throws). */
    private static String reasonPhrase(QuicConnectionCloseEvent event) {
        byte[] bytes;
        try {
            bytes = event.reason();
        } catch (NullPointerException none) {
            return "";
        }
        return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
    }

    /** The name of a TLS alert a QUIC handshake can end with (RFC 8446 6), in parentheses. */
    private static String alertName(int alert) {
        switch (alert) {
            case 40: return " (handshake_failure)";
            case 42: return " (bad_certificate)";
            case 43: return " (unsupported_certificate)";
            case 44: return " (certificate_revoked)";
            case 45: return " (certificate_expired)";
            case 46: return " (certificate_unknown)";
            case 48: return " (unknown_ca)";
            case 80: return " (internal_error)";
            case 109: return " (missing_extension)";
            case 112: return " (unrecognized_name)";
            case 116: return " (certificate_required)";
            case 120: return " (no_application_protocol: the server does not speak the offered ALPN)";
            default: return "";
        }
    }

    /** Our own application close. */
    static String byThisEnd(long code, String reason) {
        return "application error " + code + (reason.isEmpty() ? "" : ": " + reason) + " (closed by this end)";
    }

    static String idle(Duration idleTimeout) {
        return "idle timeout: nothing from the peer within " + idleTimeout;
    }
}
