// SPDX-License-Identifier: Apache-2.0
package quicpool.api;

/**
 * How the client checks the server's certificate. The codes are the original library's TLS codes
 * ("0", "1", "2"); what each mode checks is quicpool's, stricter than the original under code "1".
 * Which builder calls choose which mode: {@link ClientPoolBuilder}.
 */
public enum TlsMode {
    /** Code "0": accepts any certificate. Encrypts, but a man in the middle goes unnoticed. */
    INSECURE("0"),
    /**
     * Code "1", for servers with a self-signed (or any) certificate the client knows beforehand:
     * the server's leaf certificate must be pinned, given as the certificate itself or its SHA-256
     * fingerprint, or carry a pinned public key (a digest of its SubjectPublicKeyInfo, which
     * survives a renewal with the same key), and be within its validity period. The original
     * accepted any certificate under this code, and has no public-key pinning: that is quicpool's
     * addition ({@link ClientPoolBuilder#pinPublicKey(String)}), which the original has no code
     * for, so it comes under this one.
     */
    SELF_SIGNED("1"),
    /** Code "2": checks the chain against a trust store and the certificate against the hostname. */
    VERIFIED("2");

    private final String code;

    TlsMode(String code) {
        this.code = code;
    }

    /** The original library's TLS code: "0", "1" or "2". */
    public String code() {
        return code;
    }

    /**
     * The mode for one of the original library's TLS codes.
     *
     * @throws IllegalArgumentException if the code is not "0", "1" or "2"
     */
    public static TlsMode fromCode(String code) {
        for (TlsMode m : values()) {
            if (m.code.equals(code)) {
                return m;
            }
        }
        throw new IllegalArgumentException("TLS code must be \"0\", \"1\" or \"2\", was \"" + code + "\"");
    }
}
