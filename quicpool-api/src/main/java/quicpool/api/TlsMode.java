// SPDX-License-Identifier: Apache-2.0
package quicpool.api;

/**
 * How the client checks the server's certificate. The codes are those of the original library.
 */
public enum TlsMode {
    /** Code "0": accepts any certificate. Encrypts, but a man in the middle goes unnoticed. */
    INSECURE("0"),
    /**
     * Code "1": accepts only the pinned certificate, given as the certificate itself or its
     * SHA-256 fingerprint. For self-signed servers. (The original accepted anything here.)
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
