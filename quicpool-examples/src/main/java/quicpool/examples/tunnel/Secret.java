// SPDX-License-Identifier: Apache-2.0
package quicpool.examples.tunnel;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret both tunnel ends share, and the challenge-response that proves it: the server sends
 * a fresh random nonce, the client answers HMAC-SHA256(secret, label + nonce). The secret itself
 * never crosses the wire, and an answer is worth nothing for another nonce. Immutable.
 */
public final class Secret {
    /** The environment variable the command line reads the secret from when {@code --secret} is absent. */
    public static final String ENVIRONMENT_VARIABLE = "QUICPOOL_TUNNEL_SECRET";
    /** Fewer characters than this are refused: a short secret is guessed offline from one answer. */
    public static final int MIN_LENGTH = 16;
    static final int NONCE_BYTES = 32;
    private static final byte[] LABEL = "quicpool tunnel control v1\n".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    private Secret(byte[] key) {
        this.key = new SecretKeySpec(key, "HmacSHA256");
    }

    /**
     * A secret from text (its UTF-8 bytes).
     *
     * @throws NullPointerException     if it is null
     * @throws IllegalArgumentException if it has fewer than {@value #MIN_LENGTH} characters (the
     *                                  message gives the length, never the text)
     */
    public static Secret of(String text) {
        Objects.requireNonNull(text, "text");
        if (text.length() < MIN_LENGTH) {
            throw new IllegalArgumentException("the tunnel secret must have at least " + MIN_LENGTH
                    + " characters, had " + text.length());
        }
        return new Secret(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A random secret, for the one-process demo, whose two ends share it in memory. */
    public static Secret random() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return new Secret(key);
    }

    /** A fresh challenge, in hex. */
    static String nonce() {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        return HexFormat.of().formatHex(nonce);
    }

    /** The answer to {@code nonce}, in hex. */
    String answer(String nonce) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(LABEL);
            return HexFormat.of().formatHex(mac.doFinal(nonce.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }

    /** True if {@code answer} proves this secret for {@code nonce}; compared in constant time. */
    boolean accepts(String nonce, String answer) {
        return answer != null && MessageDigest.isEqual(answer(nonce).getBytes(StandardCharsets.US_ASCII),
                answer.getBytes(StandardCharsets.US_ASCII));
    }

    /** Never the secret. */
    @Override
    public String toString() {
        return "Secret[hidden]";
    }
}
