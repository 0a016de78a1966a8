// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik.workaround;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;

/**
 * The largest UDP payload a client accepts, its max_udp_payload_size transport parameter (RFC
 * 9000 18.2), read from the TLS ClientHello (RFC 8446 4.1.2) in the CRYPTO frames of its first
 * Initial packet. Kwik's server keeps the client's transport parameters to itself.
 */
final class ClientPayloadLimit {

    /** The ClientHello could not be read from the packet (cut across packets, malformed, not QUIC's). */
    static final int UNKNOWN = -1;
    /** The parameter's value when a client leaves it out: the largest UDP payload there is. */
    static final int ABSENT = 65_527;
    /** A ClientHello longer than this is not read. */
    static final int MAX_CLIENT_HELLO = 4096;

    private static final int CLIENT_HELLO = 1;
    private static final int QUIC_TRANSPORT_PARAMETERS = 0x39;
    private static final int MAX_UDP_PAYLOAD_SIZE = 0x03;

    private ClientPayloadLimit() {
    }

    /** The limit the ClientHello in this decrypted Initial payload states, or {@link #UNKNOWN}. */
    static int of(byte[] initialPayload) {
        return fromClientHello(InitialFrames.cryptoFromStart(initialPayload, MAX_CLIENT_HELLO));
    }

    /** The limit a whole ClientHello handshake message states, or {@link #UNKNOWN}. */
    static int fromClientHello(byte[] hello) {
        ByteBuffer b = ByteBuffer.wrap(hello);
        try {
            if ((b.get() & 0xff) != CLIENT_HELLO) {
                return UNKNOWN;
            }
            int length = (b.get() & 0xff) << 16 | (b.getShort() & 0xffff);
            b.limit(b.position() + length); // beyond what the packet held: the rest came later
            skip(b, 2 + 32); // legacy_version, random
            skip(b, b.get() & 0xff); // legacy_session_id
            skip(b, b.getShort() & 0xffff); // cipher_suites
            skip(b, b.get() & 0xff); // legacy_compression_methods
            b.limit(b.position() + 2 + (b.getShort(b.position()) & 0xffff));
            b.getShort();
            while (b.hasRemaining()) {
                int type = b.getShort() & 0xffff;
                int size = b.getShort() & 0xffff;
                if (type == QUIC_TRANSPORT_PARAMETERS) {
                    if (size > b.remaining()) {
                        return UNKNOWN;
                    }
                    return fromTransportParameters(hello, b.position(), b.position() + size);
                }
                skip(b, size);
            }
            return UNKNOWN; // no QUIC transport parameters
        } catch (BufferUnderflowException | IllegalArgumentException | IndexOutOfBoundsException e) {
            return UNKNOWN;
        }
    }

    /** Transport parameters (RFC 9000 18): an ID, a length and a value each. */
    private static int fromTransportParameters(byte[] data, int pos, int end) {
        long[] field = new long[2];
        while (pos < end) {
            if (!VarInt.read(data, pos, end, field)) {
                return UNKNOWN;
            }
            long id = field[0];
            pos += (int) field[1];
            if (!VarInt.read(data, pos, end, field) || field[0] > end - pos - field[1]) {
                return UNKNOWN;
            }
            int size = (int) field[0];
            pos += (int) field[1];
            if (id == MAX_UDP_PAYLOAD_SIZE) {
                return VarInt.read(data, pos, pos + size, field) ? (int) Math.min(field[0], ABSENT) : UNKNOWN;
            }
            pos += size;
        }
        return ABSENT;
    }

    private static void skip(ByteBuffer b, int n) {
        b.position(b.position() + n);
    }
}
