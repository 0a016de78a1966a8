// SPDX-License-Identifier: Apache-2.0
package quicpool.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import quicpool.api.internal.ClientPoolConfig;

/** Invalid configuration fails at build time, naming the field, its value and the rule. */
@Timeout(10)
class BuilderValidationTest {
    private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 4433);

    private static ClientPoolBuilder client() {
        return QuicPools.client().serverAddress(SERVER);
    }

    @Test
    void defaultsAreValidAndSecure() {
        ClientPoolConfig c = client().config();
        assertThat(c.minCapacity()).isEqualTo(1);
        assertThat(c.maxCapacity()).isEqualTo(128);
        assertThat(c.tlsMode()).isEqualTo(TlsMode.VERIFIED);
        assertThat(c.handshakeTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.addressResolver().get()).isEqualTo(SERVER);
    }

    @Test
    void capacityBoundsAreChecked() {
        assertThatThrownBy(() -> client().capacity(0, 10).config())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("minCapacity must be between 1 and 8192, was 0");
        assertThatThrownBy(() -> client().capacity(1, 9000).config())
                .hasMessage("maxCapacity must be between 1 and 8192, was 9000");
        assertThatThrownBy(() -> client().capacity(20, 10).config())
                .hasMessage("capacity: min must not exceed max, was min 20 > max 10");
    }

    @Test
    void intervalsAndTimeoutsMustBePositiveAndOrdered() {
        assertThatThrownBy(() -> client().refillInterval(Duration.ZERO, Duration.ofSeconds(1)).config())
                .hasMessage("minInterval must be a positive duration, was PT0S");
        assertThatThrownBy(() -> client().refillInterval(Duration.ofSeconds(2), Duration.ofSeconds(1)).config())
                .hasMessage("refillInterval: min must not exceed max, was min PT2S > max PT1S");
        assertThatThrownBy(() -> client().keepAlive(Duration.ofSeconds(-1)).config())
                .hasMessage("keepAlive must be a positive duration, was PT-1S");
        assertThatThrownBy(() -> client().handshakeTimeout(Duration.ZERO).config())
                .hasMessageStartingWith("handshakeTimeout must be a positive duration");
    }

    @Test
    void aClientNeedsAServerAddress() {
        assertThatThrownBy(() -> QuicPools.client().config())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("serverAddress is not set");
    }

    @Test
    void pinnedFingerprintMustBeASha256Digest() {
        String hex = "ab".repeat(32);
        assertThat(client().pinFingerprint(hex).config().tlsMode()).isEqualTo(TlsMode.SELF_SIGNED);
        String colons = String.join(":", java.util.Collections.nCopies(32, "AB"));
        assertThat(client().pinFingerprint(colons).config().certificatePins()).containsExactly(hex);
        assertThatThrownBy(() -> client().pinFingerprint("abcd"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("fingerprint must be a SHA-256 digest, 64 hex digits (colons allowed), was \"abcd\"");
    }

    @Test
    void pinnedPublicKeyMustBeASha256Digest() {
        ClientPoolConfig c = client().pinPublicKey(TestCert.SPKI_SHA256.toUpperCase(java.util.Locale.ROOT)).config();
        assertThat(c.tlsMode()).isEqualTo(TlsMode.SELF_SIGNED);
        assertThat(c.publicKeyPins()).containsExactly(TestCert.SPKI_SHA256);
        assertThat(c.certificatePins()).isEmpty();
        assertThatThrownBy(() -> client().pinPublicKey("ab".repeat(31)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("public key digest must be a SHA-256 digest");
    }

    @Test
    void pinsAreDigestsOfTheDerCertificateAndOfItsSubjectPublicKeyInfo() {
        // the digests openssl gives (see TestCert), so the two pins can be told apart and checked
        assertThat(client().pinCertificate(TestCert.CERT).config().certificatePins())
                .containsExactly(TestCert.CERT_SHA256);
        assertThat(client().pinPublicKey(TestCert.CERT).config().publicKeyPins())
                .containsExactly(TestCert.SPKI_SHA256);
    }

    @Test
    void serverNeedsListenAddressAndKeyMaterial() {
        assertThatThrownBy(() -> QuicPools.server().config()).hasMessageContaining("listen address is not set");
        assertThatThrownBy(() -> QuicPools.server().listen(new InetSocketAddress("127.0.0.1", 0)).config())
                .hasMessageContaining("key material is not set");
        assertThatThrownBy(() -> QuicPools.server().maxCapacity(0).config())
                .hasMessage("maxCapacity must be between 1 and 2147483647, was 0");
    }

    @Test
    void connectionAndHandshakeLimitsMustBePositiveAndThePerAddressOneWithinTheTotal() {
        assertThatThrownBy(() -> QuicPools.server().maxConnections(0).config())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxConnections must be between 1 and 2147483647, was 0");
        assertThatThrownBy(() -> QuicPools.server().maxConnectionsPerAddress(-1).config())
                .hasMessage("maxConnectionsPerAddress must be between 1 and 1024, was -1");
        assertThatThrownBy(() -> QuicPools.server().maxConnections(10).maxConnectionsPerAddress(11).config())
                .hasMessage("maxConnectionsPerAddress must be between 1 and 10, was 11");
        assertThatThrownBy(() -> QuicPools.server().maxHandshakes(0).config())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxHandshakes must be between 1 and 2147483647, was 0");
        assertThatThrownBy(() -> QuicPools.server().maxPendingStreamsPerConnection(0).config())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxPendingStreamsPerConnection must be between 1 and 2147483647, was 0");
        // the defaults pass these checks and fail only for what is missing
        assertThatThrownBy(() -> QuicPools.server().config()).hasMessageContaining("listen address is not set");
    }

    @Test
    void allowListRejectsHostNames() {
        assertThatThrownBy(() -> QuicPools.server().allowClient("gateway.local"))
                .hasMessageContaining("\"gateway.local\"");
    }

    @Test
    void buildWithoutEngineNamesTheArtifactToAdd() {
        assertThatThrownBy(() -> client().build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("io.quicpool:quicpool-core");
    }

    // ---------------------------------------------------------------- one TLS choice

    /** One way to make each TLS choice, by the setter name the conflict message uses. */
    private static Map<String, Consumer<ClientPoolBuilder>> tlsChoices(KeyStore store) {
        Map<String, Consumer<ClientPoolBuilder>> m = new java.util.LinkedHashMap<>();
        m.put("insecure", ClientPoolBuilder::insecure);
        m.put("pinCertificate", b -> b.pinCertificate(TestCert.CERT));
        m.put("pinFingerprint", b -> b.pinFingerprint(TestCert.CERT_SHA256));
        m.put("pinPublicKey", b -> b.pinPublicKey(TestCert.SPKI_SHA256));
        m.put("verify", ClientPoolBuilder::verify);
        m.put("verify(trustStore)", b -> b.verify(store));
        return m;
    }

    private static boolean sameKind(String a, String b) {
        return a.equals(b) || a.startsWith("pinCertificate") && b.startsWith("pinFingerprint")
                || a.startsWith("pinFingerprint") && b.startsWith("pinCertificate");
    }

    @Test
    void aSecondDifferentTlsChoiceFailsNamingBothInEitherOrder() throws Exception {
        Map<String, Consumer<ClientPoolBuilder>> choices = tlsChoices(emptyTrustStore());
        List<String> checked = new ArrayList<>();
        for (var first : choices.entrySet()) {
            for (var second : choices.entrySet()) {
                if (sameKind(first.getKey(), second.getKey())) {
                    continue;
                }
                ClientPoolBuilder b = client();
                first.getValue().accept(b);
                assertThatThrownBy(() -> second.getValue().accept(b))
                        .as(first.getKey() + " then " + second.getKey())
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessage("TLS mode was already set to " + first.getKey() + "; cannot also set "
                                + second.getKey());
                // the failed call changed nothing: the first choice stands
                TlsMode mode = b.config().tlsMode();
                assertThat(mode).as(first.getKey()).isEqualTo(first.getKey().startsWith("pin") ? TlsMode.SELF_SIGNED
                        : first.getKey().equals("insecure") ? TlsMode.INSECURE : TlsMode.VERIFIED);
                checked.add(first.getKey() + " then " + second.getKey());
            }
        }
        assertThat(checked).hasSize(6 * 5 - 2); // every ordered pair but pinCertificate / pinFingerprint
    }

    @Test
    void certificatePinsAccumulateAndPublicKeyPinsAccumulate() {
        String other = "cd".repeat(32);
        ClientPoolConfig certs = client().pinCertificate(TestCert.CERT).pinFingerprint(other)
                .pinFingerprint(TestCert.CERT_SHA256).config();
        assertThat(certs.tlsMode()).isEqualTo(TlsMode.SELF_SIGNED);
        assertThat(certs.certificatePins()).containsExactly(TestCert.CERT_SHA256, other); // duplicates once
        assertThat(certs.publicKeyPins()).isEmpty();

        ClientPoolConfig keys = client().pinPublicKey(other).pinPublicKey(TestCert.CERT).config();
        assertThat(keys.publicKeyPins()).containsExactly(other, TestCert.SPKI_SHA256);
        assertThat(keys.certificatePins()).isEmpty();
    }

    @Test
    void repeatingTheSameTlsChoiceIsAllowed() throws Exception {
        assertThat(client().insecure().insecure().config().tlsMode()).isEqualTo(TlsMode.INSECURE);
        assertThat(client().verify().verify().config().trustStore()).isNull();
        KeyStore store = emptyTrustStore();
        assertThat(client().verify(store).verify(store).config().trustStore()).isSameAs(store);
        KeyStore another = emptyTrustStore();
        assertThatThrownBy(() -> client().verify(store).verify(another))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("TLS mode was already set to verify(trustStore) with another trust store");
    }

    @Test
    void theDefaultIsNotAChoiceAndABadArgumentMakesNone() {
        assertThat(client().pinCertificate(TestCert.CERT).config().tlsMode()).isEqualTo(TlsMode.SELF_SIGNED);
        ClientPoolBuilder b = client();
        assertThatThrownBy(() -> b.pinFingerprint("not hex")).isInstanceOf(IllegalArgumentException.class);
        assertThat(b.insecure().config().tlsMode()).isEqualTo(TlsMode.INSECURE);
    }

    private static KeyStore emptyTrustStore() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        return store;
    }

    // ---------------------------------------------------------------- the server name

    @Test
    void theServerNameFollowsTheLatestAddress() {
        assertThat(QuicPools.client().serverAddress("a.example", 1).serverAddress("b.example", 1).config().hostname())
                .isEqualTo("b.example");
        assertThat(QuicPools.client().serverAddress("a.example", 1).serverAddress(SERVER).config().hostname())
                .isEqualTo("127.0.0.1");
        assertThat(QuicPools.client().serverAddress(SERVER).serverAddress("b.example", 1).config().hostname())
                .isEqualTo("b.example");
    }

    @Test
    void afterAnAddressResolverTheServerNameIsThatOfEachResolvedAddress() {
        // null: the pool takes the host string of the address the resolver returns for each dial
        ClientPoolConfig c = QuicPools.client().serverAddress("a.example", 1)
                .addressResolver(() -> InetSocketAddress.createUnresolved("b.example", 1)).config();
        assertThat(c.hostname()).isNull();
        assertThat(c.addressResolver().get().getHostString()).isEqualTo("b.example");
        assertThat(QuicPools.client().addressResolver(() -> SERVER).serverAddress("c.example", 1).config().hostname())
                .isEqualTo("c.example");
    }

    @Test
    void anExplicitHostnameWinsWhateverTheOrder() {
        assertThat(QuicPools.client().hostname("name.example").serverAddress("a.example", 1).config().hostname())
                .isEqualTo("name.example");
        assertThat(QuicPools.client().serverAddress("a.example", 1).hostname("name.example").config().hostname())
                .isEqualTo("name.example");
        assertThat(QuicPools.client().hostname("name.example").serverAddress(SERVER).config().hostname())
                .isEqualTo("name.example");
        assertThat(QuicPools.client().hostname("name.example").addressResolver(() -> SERVER).config().hostname())
                .isEqualTo("name.example");
        assertThat(QuicPools.client().serverAddress("a.example", 1).hostname("name.example")
                .serverAddress("b.example", 1).config().hostname())
                .isEqualTo("name.example");
    }
}
