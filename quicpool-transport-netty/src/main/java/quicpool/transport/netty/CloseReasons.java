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
        String phrase = new String(event.reason(), StandardCharsets.UTF_8);
        String kind;
        if (event.isApplicationClose()) {
            kind = "application error " + event.error();
        } else if (event.isTlsError()) {
            kind = "TLS alert " + QuicConnectionCloseEvent.extractTlsError(event.error());
        } else {
            kind = "transport error 0x" + Integer.toHexString(event.error());
        }
        return kind + (phrase.isEmpty() ? "" : ": " + phrase);
    }

    /** Our own application close. */
    static String byThisEnd(long code, String reason) {
        return "application error " + code + (reason.isEmpty() ? "" : ": " + reason) + " (closed by this end)";
    }

    static String idle(Duration idleTimeout) {
        return "idle timeout: nothing from the peer within " + idleTimeout;
    }
}
