package quicpool.transport.kwik;

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

    /** Whether the payload holds a CONNECTION_CLOSE frame; false at the first frame it cannot read. */
    static boolean carryConnectionClose(byte[] payload) {
        long[] field = new long[2];
        int pos = 0;
        while (pos < payload.length) {
            int type = payload[pos++] & 0xff;
            switch (type) {
                case PADDING, PING -> { }
                case CONNECTION_CLOSE, CONNECTION_CLOSE_APPLICATION -> {
                    return true;
                }
                case ACK, ACK_ECN -> {
                    // largest acknowledged, delay, range count, first range; then the ranges; then ECN counts
                    pos = skip(payload, pos, 3, field);
                    if (pos < 0) {
                        return false;
                    }
                    long ranges = field[0];
                    pos = skip(payload, pos, 1, field);
                    if (pos < 0 || ranges > payload.length) {
                        return false;
                    }
                    pos = skip(payload, pos, (int) (2 * ranges + (type == ACK_ECN ? 3 : 0)), field);
                }
                case CRYPTO -> {
                    pos = skip(payload, pos, 2, field); // offset, length
                    if (pos < 0 || field[0] > payload.length - pos) {
                        return false;
                    }
                    pos += (int) field[0];
                }
                default -> {
                    return false;
                }
            }
            if (pos < 0) {
                return false;
            }
        }
        return false;
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
