// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik.workaround;

import java.util.Arrays;

/**
 * The clear-text header of a QUIC version 1 Initial packet (RFC 9000 17.2.2) at the start of a
 * datagram: its connection IDs, where its (protected) packet number starts and where it ends.
 *
 * @param start index of the packet's first byte in the datagram's array
 * @param destinationId the destination connection ID
 * @param sourceId the source connection ID
 * @param packetNumberOffset index of the first packet-number byte in the datagram's array
 * @param end index just past the packet in the datagram's array
 * @param datagramEnd index just past the datagram
 */
record InitialHeader(int start, byte[] destinationId, byte[] sourceId, int packetNumberOffset, int end, int datagramEnd) {

    static final int QUIC_V1 = 0x00000001;

    /** Whether the datagram holds this Initial packet and nothing after it. */
    boolean alone() {
        return end == datagramEnd;
    }

    /**
     * Whether the datagram claims to start with a QUIC version 1 Initial packet: a long header with
     * the fixed bit, type Initial, version 1 (what makes a server take it for a connection attempt).
     */
    static boolean claimsInitial(byte[] data, int offset, int length) {
        return length >= 5 && (data[offset] & 0xf0) == 0xc0 && readInt(data, offset + 1) == QUIC_V1;
    }

    /**
     * @return the header of the Initial packet the datagram starts with, or {@code null} when it
     *     does not start with a well-formed QUIC version 1 Initial packet
     */
    static InitialHeader parse(byte[] data, int offset, int length) {
        int limit = offset + length;
        if (length < 7 || !claimsInitial(data, offset, length)) {
            return null;
        }
        int pos = offset + 5;
        int dcidLength = data[pos++] & 0xff;
        if (dcidLength > 20 || pos + dcidLength >= limit) {
            return null;
        }
        byte[] dcid = Arrays.copyOfRange(data, pos, pos + dcidLength);
        pos += dcidLength;
        int scidLength = data[pos++] & 0xff;
        if (scidLength > 20 || pos + scidLength > limit) {
            return null;
        }
        byte[] scid = Arrays.copyOfRange(data, pos, pos + scidLength);
        pos += scidLength;
        long[] field = new long[2];
        if (!VarInt.read(data, pos, limit, field) || field[0] > limit - pos - field[1]) {
            return null; // token length
        }
        pos += (int) (field[1] + field[0]);
        if (!VarInt.read(data, pos, limit, field) || field[0] > limit - pos - field[1]) {
            return null; // length of packet number and payload
        }
        pos += (int) field[1];
        return new InitialHeader(offset, dcid, scid, pos, pos + (int) field[0], limit);
    }

    /** The 32-bit big-endian integer at {@code pos}. */
    static int readInt(byte[] data, int pos) {
        return ((data[pos] & 0xff) << 24) | ((data[pos + 1] & 0xff) << 16) | ((data[pos + 2] & 0xff) << 8)
                | (data[pos + 3] & 0xff);
    }
}
