// SPDX-License-Identifier: Apache-2.0
package quicpool.compliance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the packet types of the QUIC version 1 long-header packets coalesced in a datagram (RFC
 * 9000 17.2), without decrypting anything: enough to tell a server's Retry from its handshake, and
 * one client's first flight from another's.
 */
final class LongHeaders {
    static final int INITIAL = 0;
    static final int HANDSHAKE = 2;
    static final int RETRY = 3;

    private LongHeaders() {
    }

    /**
     * The long-header packet types in {@code datagram}, in order; reading stops at a short-header
     * packet (which runs to the datagram's end) or at a header it cannot read.
     */
    static List<Integer> types(byte[] datagram, int length) {
        List<Integer> types = new ArrayList<>();
        int at = 0;
        while (at + 7 <= length && (datagram[at] & 0x80) != 0) {
            int type = (datagram[at] >> 4) & 0x3;
            types.add(type);
            if (type == RETRY) {
                break; // a Retry has no length field: it runs to the datagram's end
            }
            at += 5; // first byte, version
            at += 1 + (datagram[at] & 0xff); // destination connection ID
            if (at >= length) {
                break;
            }
            at += 1 + (datagram[at] & 0xff); // source connection ID
            if (type == INITIAL) {
                long tokenLength = varint(datagram, at, length);
                if (tokenLength < 0) {
                    break;
                }
                at += varintSize(datagram[at]) + (int) tokenLength;
            }
            long payload = varint(datagram, at, length);
            if (payload < 0) {
                break;
            }
            at += varintSize(datagram[at]) + (int) payload;
        }
        return types;
    }

    /**
     * The destination connection ID of the long-header packet that starts {@code datagram}, or
     * {@code null} where the datagram does not start with one: what tells one client's first
     * flight from another's, and a client's retransmission from a new one.
     */
    static byte[] destinationId(byte[] datagram, int length) {
        if (length < 6 || (datagram[0] & 0x80) == 0 || 6 + (datagram[5] & 0xff) > length) {
            return null;
        }
        return Arrays.copyOfRange(datagram, 6, 6 + (datagram[5] & 0xff));
    }

    private static int varintSize(byte first) {
        return 1 << ((first & 0xff) >> 6);
    }

    private static long varint(byte[] b, int at, int length) {
        if (at >= length || at + varintSize(b[at]) > length) {
            return -1;
        }
        int size = varintSize(b[at]);
        long v = b[at] & 0x3f;
        for (int i = 1; i < size; i++) {
            v = (v << 8) | (b[at + i] & 0xff);
        }
        return v;
    }
}
