// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik.workaround;

import java.security.GeneralSecurityException;

/**
 * A client Initial packet carrying a CONNECTION_CLOSE (RFC 9000 19.19, type 0x1c, NO_ERROR), padded
 * to a 1200-byte datagram, as the client of a handshake in progress could send it: addressed to
 * the handshake's original destination ID and protected with that ID's Initial keys. Kwik's server
 * connection reads it as the client's farewell and ends: its threads stop and its registry entries
 * go. Kwik reads no Initial packet in a smaller datagram (RFC 9000 14.1).
 */
final class ClientClose {

    static final int DATAGRAM = 1200;
    private static final int TAG = 16;
    private static final int PACKET_NUMBER_LENGTH = 4;
    /** Above any packet number a client's Initial space reaches, so that Kwik takes it for no duplicate. */
    private static final long PACKET_NUMBER = 0x10000;
    /** Long header, fixed bit, type Initial, 4-byte packet number (RFC 9000 17.2.2). */
    private static final byte FIRST_BYTE = (byte) 0xc3;
    private static final byte CONNECTION_CLOSE = 0x1c;

    private ClientClose() {
    }

    /**
     * @param originalDestinationId the destination ID of the client's first Initial
     * @param clientId the client's source connection ID
     * @return the datagram, {@value #DATAGRAM} bytes
     * @throws GeneralSecurityException if the JDK lacks AES-GCM (every JDK has it)
     */
    static byte[] datagram(byte[] originalDestinationId, byte[] clientId) throws GeneralSecurityException {
        byte[] d = new byte[DATAGRAM];
        int at = 0;
        d[at++] = FIRST_BYTE;
        d[at++] = 0;
        d[at++] = 0;
        d[at++] = 0;
        d[at++] = 1; // version 1
        d[at++] = (byte) originalDestinationId.length;
        System.arraycopy(originalDestinationId, 0, d, at, originalDestinationId.length);
        at += originalDestinationId.length;
        d[at++] = (byte) clientId.length;
        System.arraycopy(clientId, 0, d, at, clientId.length);
        at += clientId.length;
        d[at++] = 0; // no token
        int length = DATAGRAM - at - 2; // packet number, payload and tag
        d[at++] = (byte) (0x40 | length >> 8); // a 2-byte varint
        d[at++] = (byte) length;
        int packetNumberOffset = at;
        for (int i = 0; i < PACKET_NUMBER_LENGTH; i++) {
            d[at + i] = (byte) (PACKET_NUMBER >>> (8 * (PACKET_NUMBER_LENGTH - 1 - i)));
        }
        // CONNECTION_CLOSE: error NO_ERROR, frame type 0, no reason; then PADDING (zeros).
        byte[] payload = new byte[length - PACKET_NUMBER_LENGTH - TAG];
        payload[0] = CONNECTION_CLOSE;
        InitialProtection.seal(InitialProtection.Sender.CLIENT, originalDestinationId, d, packetNumberOffset,
                PACKET_NUMBER, payload);
        return d;
    }
}
