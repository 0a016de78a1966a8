// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik;

/** QUIC's variable-length integers (RFC 9000 16). */
final class VarInt {

    private VarInt() {
    }

    /**
     * Reads the integer at {@code pos}, not beyond {@code limit}: its value into {@code out[0]}, its
     * size in bytes into {@code out[1]}.
     *
     * @return false when it does not fit before {@code limit}
     */
    static boolean read(byte[] data, int pos, int limit, long[] out) {
        if (pos >= limit) {
            return false;
        }
        int size = 1 << ((data[pos] & 0xc0) >> 6);
        if (pos + size > limit) {
            return false;
        }
        long value = data[pos] & 0x3f;
        for (int i = 1; i < size; i++) {
            value = (value << 8) | (data[pos + i] & 0xff);
        }
        out[0] = value;
        out[1] = size;
        return true;
    }
}
