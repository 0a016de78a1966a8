// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tech.kwik.core.QuicClientConnection;

/**
 * The Kwik on the module path is the release this transport's workarounds were checked against.
 * They lean on how that release behaves below its API: the classes of {@link
 * quicpool.transport.kwik.workaround}, whose package comment says what each of them works around
 * (the listener's socket and its packet readers, the rebinding watch, the unanswered-probe check,
 * the client's socket, the sender-thread actions and FIN output, the warning guard); and {@code
 * KwikDialer}, which recognizes Kwik's own connect timeout by its wording. A new Kwik may make any
 * of them wrong or needless, so a new Kwik fails this test: check each of them against it, then
 * update the version and the digest here.
 */
@Timeout(10)
class KwikVersionTest {
    /** The Kwik release the workarounds were checked against. */
    static final String CHECKED_VERSION = "0.10.8";
    /** SHA-1 of that release's jar, {@code tech.kwik:kwik:0.10.8}, as Maven Central serves it. */
    static final String CHECKED_SHA1 = "d8d63a72985938c89c159292fa1584517b855496";

    @Test
    void theKwikOnTheModulePathIsTheReleaseTheWorkaroundsWereCheckedAgainst() throws Exception {
        Path jar = Path.of(QuicClientConnection.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String expected = "kwik " + CHECKED_VERSION + " (SHA-1 " + CHECKED_SHA1 + "), which the workarounds of"
                + " this transport were checked against; re-check them (see KwikVersionTest) before changing it";
        assertThat(jar.getFileName().toString()).as("the Kwik jar on the module path, %s; expected %s", jar, expected)
                .isEqualTo("kwik-" + CHECKED_VERSION + ".jar");
        String sha1 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(Files.readAllBytes(jar)));
        assertThat(sha1).as("the SHA-1 of %s; expected %s", jar, expected).isEqualTo(CHECKED_SHA1);
    }
}
