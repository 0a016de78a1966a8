// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik.workaround;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import tech.kwik.core.generic.InvalidIntegerEncodingException;
import tech.kwik.core.generic.VariableLengthInteger;

/**
 * QUIC's variable-length integers (RFC 9000 16), read by Kwik's {@link VariableLengthInteger}, in
 * the form the packet readers here use: a position in a byte array, a limit, no exception.
 */
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
        if (pos < 0 || pos >= limit) {
            return false;
        }
        ByteBuffer buffer = ByteBuffer.wrap(data, pos, limit - pos);
        try {
            out[0] = VariableLengthInteger.parseLong(buffer);
        } catch (InvalidIntegerEncodingException | BufferUnderflowException e) {
            return false; // truncated: the packet is not what it claims
        }
        out[1] = buffer.position() - pos;
        return true;
    }
}
