// SPDX-License-Identifier: Apache-2.0
package quicpool.api;

/**
 * How the client checks the server's certificate. The three modes are the three TLS codes of
 * vistone/quic, the Go library quicpool is a port of ("0", "1", "2"); what each mode checks is
 * quicpool's, stricter than vistone/quic under code "1". Which builder calls choose which mode:
 * {@link ClientPoolBuilder}.
 */
public enum TlsMode {
    /** Code "0": accepts any certificate. Encrypts, but a man in the middle goes unnoticed. */
    INSECURE,
    /**
     * Code "1", for servers with a self-signed (or any) certificate the client knows beforehand:
     * the server's leaf certificate must be pinned, given as the certificate itself or its SHA-256
     * fingerprint, or carry a pinned public key (a digest of its SubjectPublicKeyInfo, which
     * survives a renewal with the same key), and be within its validity period. vistone/quic
     * accepts any certificate under this code, and has no public-key pinning: that is quicpool's
     * addition ({@link ClientPoolBuilder#pinPublicKey(String)}), which vistone/quic has no code
     * for, so it comes under this one.
     */
    SELF_SIGNED,
    /** Code "2": checks the chain against a trust store and the certificate against the hostname. */
    VERIFIED
}
