// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik.workaround;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.BitSet;

/** The frames an Initial packet may carry (RFC 9000 12.4, 19). */
final class InitialFrames {

    private static final int PADDING = 0x00;
    private static final int PING = 0x01;
    private static final int ACK = 0x02;
    private static final int ACK_ECN = 0x03;
    private static final int CRYPTO = 0x06;
    private static final int CONNECTION_CLOSE = 0x1c;
    private static final int CONNECTION_CLOSE_APPLICATION = 0x1d;

    private InitialFrames() {
    }

    /**
     * The CONNECTION_CLOSE frame the payload holds; {@code null} when there is none before the end
     * or before the first frame this cannot read.
     */
    static ConnectionClose connectionClose(byte[] payload) {
        long[] field = new long[2];
        int pos = 0;
        while (pos < payload.length) {
            int type = payload[pos++] & 0xff;
            if (type == CONNECTION_CLOSE || type == CONNECTION_CLOSE_APPLICATION) {
                return readClose(payload, pos, type == CONNECTION_CLOSE_APPLICATION);
            }
            pos = skipFrame(payload, type, pos, field);
            if (pos < 0) {
                return null;
            }
        }
        return null;
    }

    /**
     * The TLS handshake bytes the payload's CRYPTO frames hold from offset 0 without a gap, at most
     * {@code max} of them (frames may come in any order); empty when none starts at 0 or a frame
     * before the end cannot be read.
     */
    static byte[] cryptoFromStart(byte[] payload, int max) {
        max = Math.min(max, payload.length);
        byte[] data = new byte[max];
        BitSet have = new BitSet(max);
        long[] field = new long[2];
        int pos = 0;
        while (pos < payload.length) {
            int type = payload[pos++] & 0xff;
            if (type == CRYPTO) {
                if (!VarInt.read(payload, pos, payload.length, field)) {
                    return new byte[0];
                }
                long offset = field[0];
                pos += (int) field[1];
                if (!VarInt.read(payload, pos, payload.length, field) || field[0] > payload.length - pos - field[1]) {
                    return new byte[0];
                }
                int length = (int) field[0];
                pos += (int) field[1];
                if (offset < max) {
                    int n = (int) Math.min(length, max - offset);
                    System.arraycopy(payload, pos, data, (int) offset, n);
                    have.set((int) offset, (int) offset + n);
                }
                pos += length;
            } else {
                pos = skipFrame(payload, type, pos, field);
                if (pos < 0) {
                    return new byte[0];
                }
            }
        }
        return Arrays.copyOf(data, have.nextClearBit(0));
    }

    /**
     * The position after the frame of {@code type} whose body starts at {@code pos}; -1 for a frame
     * this cannot read (a type an Initial packet does not carry, a CONNECTION_CLOSE, a truncation).
     */
    private static int skipFrame(byte[] payload, int type, int pos, long[] field) {
        switch (type) {
            case PADDING, PING -> {
                return pos;
            }
            case ACK, ACK_ECN -> {
                // largest acknowledged, delay, range count, first range; then the ranges; then ECN counts
                pos = skip(payload, pos, 3, field);
                if (pos < 0) {
                    return -1;
                }
                long ranges = field[0];
                pos = skip(payload, pos, 1, field);
                if (pos < 0 || ranges > payload.length) {
                    return -1;
                }
                return skip(payload, pos, (int) (2 * ranges + (type == ACK_ECN ? 3 : 0)), field);
            }
            case CRYPTO -> {
                pos = skip(payload, pos, 2, field); // offset, length
                if (pos < 0 || field[0] > payload.length - pos) {
                    return -1;
                }
                return pos + (int) field[0];
            }
            default -> {
                return -1;
            }
        }
    }

    /**
     * The frame after its type (RFC 9000 19.19): error code, the type of the frame that caused it
     * (transport closes only), reason phrase. What cannot be read stays unknown, not the whole frame.
     */
    private static ConnectionClose readClose(byte[] payload, int pos, boolean application) {
        long[] field = new long[2];
        if (!VarInt.read(payload, pos, payload.length, field)) {
            return new ConnectionClose(application, -1, "");
        }
        long errorCode = field[0];
        pos = skip(payload, pos + (int) field[1], application ? 0 : 1, field);
        if (pos < 0 || !VarInt.read(payload, pos, payload.length, field)
                || field[0] > payload.length - pos - field[1]) {
            return new ConnectionClose(application, errorCode, "");
        }
        int start = pos + (int) field[1];
        return new ConnectionClose(application, errorCode,
                new String(payload, start, (int) field[0], StandardCharsets.UTF_8));
    }

    /** Skips {@code count} integers from {@code pos}; the last one's value stays in {@code field[0]}. */
    private static int skip(byte[] payload, int pos, int count, long[] field) {
        for (int i = 0; i < count; i++) {
            if (!VarInt.read(payload, pos, payload.length, field)) {
                return -1;
            }
            pos += (int) field[1];
        }
        return pos;
    }
}
