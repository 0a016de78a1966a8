// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik.workaround;

/**
 * Walks the QUIC packets coalesced in one datagram (RFC 9000 12.2) far enough to tell whether a
 * short-header (1-RTT) packet is among them: long-header packets of version 1 (Initial, 0-RTT,
 * Handshake) carry their length, and a short-header packet can only come last.
 */
final class CoalescedPackets {

    private static final int LONG_HEADER = 0x80;
    private static final int TYPE_INITIAL = 0;
    private static final int TYPE_RETRY = 3;

    private CoalescedPackets() {
    }

    /**
     * Whether the datagram's packets include a short-header packet: one at the start, or one after
     * well-formed long-header packets of QUIC version 1. False for a datagram that cannot be read
     * that far (Version Negotiation, Retry, another version, a header cut short).
     */
    static boolean carryShortHeader(byte[] data, int offset, int length) {
        int limit = offset + length;
        int pos = offset;
        long[] field = new long[2];
        while (pos < limit) {
            int first = data[pos] & 0xff;
            if ((first & LONG_HEADER) == 0) {
                return true;
            }
            int type = (first >> 4) & 0x03;
            if (limit - pos < 7 || InitialHeader.readInt(data, pos + 1) != InitialHeader.QUIC_V1 || type == TYPE_RETRY) {
                return false;
            }
            pos += 5;
            pos += 1 + (data[pos] & 0xff); // destination connection ID
            if (pos >= limit) {
                return false;
            }
            pos += 1 + (data[pos] & 0xff); // source connection ID
            if (type == TYPE_INITIAL) {
                if (!VarInt.read(data, pos, limit, field) || field[0] > limit - pos - field[1]) {
                    return false; // token length
                }
                pos += (int) (field[1] + field[0]);
            }
            if (!VarInt.read(data, pos, limit, field) || field[0] > limit - pos - field[1]) {
                return false; // length of packet number and payload
            }
            pos += (int) (field[1] + field[0]);
        }
        return false;
    }
}
