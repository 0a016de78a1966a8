// SPDX-License-Identifier: Apache-2.0
package quicpool.core.id;

import java.security.SecureRandom;

/**
 * The stream ID codec: 4 bytes on the wire, 8 lowercase hex characters as text
 * ({@code "a1b2c3d4"}), and random generation.
 */
public final class StreamIds {
    /** Bytes of an ID on the wire. */
    public static final int WIRE_LENGTH = 4;
    /** Characters of an ID as text. */
    public static final int TEXT_LENGTH = 8;

    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private StreamIds() {
    }

    /** A fresh random ID from {@link SecureRandom}. */
    public static int random() {
        return RANDOM.nextInt();
    }

    /** The 4 wire bytes, big-endian. */
    public static byte[] toWire(int id) {
        return new byte[] {(byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id};
    }

    /** The ID carried by 4 big-endian wire bytes. */
    public static int fromWire(byte[] b) {
        if (b.length != WIRE_LENGTH) {
            throw new IllegalArgumentException("a stream ID is 4 bytes on the wire, got " + b.length);
        }
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }

    /** The text form: lowercase hex of the 4 wire bytes. */
    public static String toText(int id) {
        char[] c = new char[TEXT_LENGTH];
        for (int i = TEXT_LENGTH - 1; i >= 0; i--) {
            c[i] = HEX[id & 0xf];
            id >>>= 4;
        }
        return new String(c);
    }

    /**
     * The canonical (lowercase) text of an ID given by a user, without allocating when it is
     * already lowercase.
     *
     * @throws IllegalArgumentException if it is not exactly 8 hex characters
     * @throws NullPointerException     if it is null
     */
    public static String canonical(String text) {
        if (text.length() != TEXT_LENGTH) {
            throw malformed(text);
        }
        boolean upper = false;
        for (int i = 0; i < TEXT_LENGTH; i++) {
            char ch = text.charAt(i);
            if (ch >= 'A' && ch <= 'F') {
                upper = true;
            } else if (!(ch >= '0' && ch <= '9' || ch >= 'a' && ch <= 'f')) {
                throw malformed(text);
            }
        }
        return upper ? text.toLowerCase(java.util.Locale.ROOT) : text;
    }

    /**
     * The ID of a text form, in either case, without allocating: the registry keys its table by it.
     *
     * @throws IllegalArgumentException if it is not exactly 8 hex characters
     * @throws NullPointerException     if it is null
     */
    public static int parse(String text) {
        if (text.length() != TEXT_LENGTH) {
            throw malformed(text);
        }
        int id = 0;
        for (int i = 0; i < TEXT_LENGTH; i++) {
            id = id << 4 | hexDigit(text, text.charAt(i));
        }
        return id;
    }

    private static int hexDigit(String text, char ch) {
        if (ch >= '0' && ch <= '9') {
            return ch - '0';
        }
        if (ch >= 'a' && ch <= 'f') {
            return ch - 'a' + 10;
        }
        if (ch >= 'A' && ch <= 'F') {
            return ch - 'A' + 10;
        }
        throw malformed(text);
    }

    private static IllegalArgumentException malformed(String text) {
        return new IllegalArgumentException("stream ID must be 8 hex characters such as \"a1b2c3d4\", was \"" + text + "\"");
    }
}
