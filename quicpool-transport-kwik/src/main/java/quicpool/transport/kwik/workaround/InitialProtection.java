// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik.workaround;

import at.favre.lib.hkdf.HKDF;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Removes and applies the protection of QUIC version 1 Initial packets. Their keys are derived from the
 * client's original destination connection ID (RFC 9001 5.2), so anyone can open them: the
 * listener's socket checks the Initial packets clients send, and reads those the server sends to
 * tell its refusals (a CONNECTION_CLOSE at the Initial level) from a handshake that goes on, and
 * protects the CONNECTION_CLOSE with which it ends a handshake that outlived its bound
 * ({@link HandshakeBound}).
 */
final class InitialProtection {

    /** Which end protected a packet: each direction has keys of its own (RFC 9001 5.2). */
    enum Sender {
        CLIENT("client in"),
        SERVER("server in");

        private final String label;

        Sender(String label) {
            this.label = label;
        }
    }

    private static final System.Logger LOG = System.getLogger("quicpool.transport.kwik");
    /** RFC 9001 5.2. */
    private static final byte[] INITIAL_SALT_V1 = {
            0x38, 0x76, 0x2c, (byte) 0xf7, (byte) 0xf5, 0x59, 0x34, (byte) 0xb3, 0x4d, 0x17,
            (byte) 0x9a, (byte) 0xe6, (byte) 0xa4, (byte) 0xc8, 0x0c, (byte) 0xad, (byte) 0xcc, (byte) 0xbb, 0x7f, 0x0a};
    private static final int SAMPLE_LENGTH = 16;
    private static final HKDF HKDF_SHA256 = HKDF.fromHmacSha256();
    private static final int TAG_BITS = 128;

    private InitialProtection() {
    }

    /**
     * The payload of the Initial packet described by {@code header}, as {@code sender} protected it
     * with the keys of {@code originalDestinationId}; {@code null} when it is too short or those
     * keys do not open it (its authentication tag does not match). Leaves {@code data} as it is.
     */
    static byte[] open(Sender sender, byte[] originalDestinationId, byte[] data, InitialHeader header) {
        int pnOffset = header.packetNumberOffset();
        if (pnOffset + 4 + SAMPLE_LENGTH > header.end()) {
            return null;
        }
        try {
            byte[] secret = expandLabel(HKDF_SHA256.extract(INITIAL_SALT_V1, originalDestinationId), sender.label, 32);
            byte[] key = expandLabel(secret, "quic key", 16);
            byte[] iv = expandLabel(secret, "quic iv", 12);
            byte[] hp = expandLabel(secret, "quic hp", 16);

            // Header protection (RFC 9001 5.4): the mask comes from a sample of the ciphertext.
            Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding");
            ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(hp, "AES"));
            byte[] mask = ecb.doFinal(data, pnOffset + 4, SAMPLE_LENGTH);
            int first = (data[header.start()] ^ (mask[0] & 0x0f)) & 0xff;
            int pnLength = (first & 0x03) + 1;
            byte[] aad = Arrays.copyOfRange(data, header.start(), pnOffset + pnLength);
            aad[0] = (byte) first;
            long packetNumber = 0;
            for (int i = 0; i < pnLength; i++) {
                int b = (aad[pnOffset - header.start() + i] ^ mask[1 + i]) & 0xff;
                aad[pnOffset - header.start() + i] = (byte) b;
                packetNumber = (packetNumber << 8) | b;
            }
            // Initial packets are numbered from 0 in each direction and an end sends only a few: their
            // truncated number (one byte at least, RFC 9000 17.1) is the whole number.
            byte[] nonce = iv.clone();
            for (int i = 0; i < 8; i++) {
                nonce[nonce.length - 1 - i] ^= (byte) (packetNumber >>> (8 * i));
            }
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            gcm.updateAAD(aad);
            int body = pnOffset + pnLength;
            return gcm.doFinal(data, body, header.end() - body);
        } catch (AEADBadTagException e) {
            return null;
        } catch (GeneralSecurityException e) {
            // AES is in every JDK: this does not happen.
            LOG.log(System.Logger.Level.WARNING, "cannot read a QUIC Initial packet", e);
            return null;
        }
    }

    /**
     * Protects an Initial packet as {@code sender} would with the keys of {@code
     * originalDestinationId} (RFC 9001 5.3, 5.4): {@code packet} holds the clear header up to and
     * including a 4-byte packet number at {@code packetNumberOffset}, then room for the payload and
     * its 16-byte tag; {@code payload} is encrypted into that room, then the header protected.
     */
    static void seal(Sender sender, byte[] originalDestinationId, byte[] packet, int packetNumberOffset,
                     long packetNumber, byte[] payload) throws GeneralSecurityException {
        byte[] secret = expandLabel(HKDF_SHA256.extract(INITIAL_SALT_V1, originalDestinationId), sender.label, 32);
        byte[] key = expandLabel(secret, "quic key", 16);
        byte[] iv = expandLabel(secret, "quic iv", 12);
        byte[] hp = expandLabel(secret, "quic hp", 16);
        int body = packetNumberOffset + 4;
        byte[] nonce = iv.clone();
        for (int i = 0; i < 8; i++) {
            nonce[nonce.length - 1 - i] ^= (byte) (packetNumber >>> (8 * i));
        }
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
        gcm.updateAAD(packet, 0, body);
        gcm.doFinal(payload, 0, payload.length, packet, body);
        Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding");
        ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(hp, "AES"));
        byte[] mask = ecb.doFinal(packet, packetNumberOffset + 4, SAMPLE_LENGTH);
        packet[0] ^= (byte) (mask[0] & 0x0f);
        for (int i = 0; i < 4; i++) {
            packet[packetNumberOffset + i] ^= mask[1 + i];
        }
    }

    /**
     * HKDF-Expand-Label (RFC 8446 7.1) with an empty context: HKDF-Expand over the label that TLS
     * 1.3 builds (length, "tls13 " + label, an empty context).
     */
    private static byte[] expandLabel(byte[] secret, String label, int length) {
        byte[] name = ("tls13 " + label).getBytes(StandardCharsets.US_ASCII);
        byte[] info = new byte[2 + 1 + name.length + 1];
        info[0] = (byte) (length >> 8);
        info[1] = (byte) length;
        info[2] = (byte) name.length;
        System.arraycopy(name, 0, info, 3, name.length);
        info[3 + name.length] = 0; // context length
        return HKDF_SHA256.expand(secret, info, length);
    }
}
