// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik.workaround;

import tech.kwik.core.QuicConstants;

/**
 * A CONNECTION_CLOSE frame as read from a packet (RFC 9000 19.19).
 *
 * @param application whether it closes at the application level (frame type 0x1d), not QUIC's
 * @param errorCode its error code, or -1 when it could not be read
 * @param reason its reason phrase, empty when there is none or it could not be read
 */
record ConnectionClose(boolean application, long errorCode, String reason) {

    private static final long CRYPTO_ERRORS = 0x100;
    private static final long CRYPTO_ERRORS_END = 0x1ff;

    /**
     * What the frame says, e.g. {@code CONNECTION_CLOSE error 0x178 (TLS alert no_application_protocol)},
     * with the reason phrase after a colon when there is one.
     */
    String describe() {
        StringBuilder b = new StringBuilder(application ? "application CONNECTION_CLOSE" : "CONNECTION_CLOSE");
        if (errorCode < 0) {
            b.append(" (error code unreadable)");
        } else {
            b.append(" error 0x").append(Long.toHexString(errorCode));
            String name = application ? null : transportErrorName(errorCode);
            if (name != null) {
                b.append(" (").append(name).append(')');
            }
        }
        if (!reason.isEmpty()) {
            b.append(": \"").append(reason).append('"');
        }
        return b.toString();
    }

    /** A TLS alert carried as a CRYPTO_ERROR (RFC 9001 4.8), or a transport error by Kwik's name (RFC 9000 20.1). */
    private static String transportErrorName(long code) {
        if (code >= CRYPTO_ERRORS && code <= CRYPTO_ERRORS_END) {
            int alert = (int) (code - CRYPTO_ERRORS);
            String name = alertName(alert);
            return "TLS alert " + (name != null ? name : String.valueOf(alert));
        }
        QuicConstants.TransportErrorCode known = QuicConstants.TransportErrorCode.fromValue(code);
        return known != null ? known.name() : null;
    }

    /**
     * The TLS 1.3 alerts a handshake can end with (RFC 8446 6, RFC 7301 3.2). Kwik's own table is
     * in its TLS library, which it needs only at run time.
     */
    private static String alertName(int alert) {
        return switch (alert) {
            case 10 -> "unexpected_message";
            case 20 -> "bad_record_mac";
            case 40 -> "handshake_failure";
            case 42 -> "bad_certificate";
            case 43 -> "unsupported_certificate";
            case 44 -> "certificate_revoked";
            case 45 -> "certificate_expired";
            case 46 -> "certificate_unknown";
            case 47 -> "illegal_parameter";
            case 48 -> "unknown_ca";
            case 49 -> "access_denied";
            case 50 -> "decode_error";
            case 51 -> "decrypt_error";
            case 70 -> "protocol_version";
            case 71 -> "insufficient_security";
            case 80 -> "internal_error";
            case 86 -> "inappropriate_fallback";
            case 90 -> "user_canceled";
            case 109 -> "missing_extension";
            case 110 -> "unsupported_extension";
            case 112 -> "unrecognized_name";
            case 113 -> "bad_certificate_status_response";
            case 115 -> "unknown_psk_identity";
            case 116 -> "certificate_required";
            case 120 -> "no_application_protocol";
            default -> null;
        };
    }
}
