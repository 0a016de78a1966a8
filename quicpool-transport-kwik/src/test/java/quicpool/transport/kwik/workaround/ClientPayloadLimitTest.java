// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik.workaround;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** A client's max_udp_payload_size, read from the ClientHello in its first Initial packet. */
class ClientPayloadLimitTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void theClientHelloOfRfc9001LeavesTheParameterOutSoItsDefaultHolds() {
        byte[] packet = InitialProtectionTest.CLIENT_INITIAL;
        InitialHeader header = InitialHeader.parse(packet, 0, packet.length);
        byte[] payload = InitialProtection.open(InitialProtection.Sender.CLIENT, header.destinationId(), packet, header);

        assertThat(ClientPayloadLimit.of(payload)).isEqualTo(ClientPayloadLimit.ABSENT);
    }

    @Test
    void readsTheParameterFromCryptoFramesInAnyOrder() {
        byte[] hello = clientHello(transportParameters("0102" + "4e20" + "0302" + "4546")); // idle 20000, payload 1350
        int half = hello.length / 2;
        byte[] payload = concat(crypto(half, Arrays.copyOfRange(hello, half, hello.length)), HEX.parseHex("0001"),
                crypto(0, Arrays.copyOf(hello, half)), new byte[40]);

        assertThat(ClientPayloadLimit.of(payload)).isEqualTo(1350);
    }

    @Test
    void aClientHelloNotWhollyInThePacketIsNotRead() {
        byte[] hello = clientHello(transportParameters("0302" + "4546"));

        assertThat(ClientPayloadLimit.of(crypto(0, Arrays.copyOf(hello, hello.length - 1)))).isEqualTo(ClientPayloadLimit.UNKNOWN);
        assertThat(ClientPayloadLimit.of(crypto(1, hello))).as("no byte at offset 0").isEqualTo(ClientPayloadLimit.UNKNOWN);
        assertThat(ClientPayloadLimit.of(concat(HEX.parseHex("1e"), crypto(0, hello)))).as("a frame not read first")
                .isEqualTo(ClientPayloadLimit.UNKNOWN);
    }

    @Test
    void aClientHelloWithoutQuicTransportParametersStatesNoLimit() {
        byte[] hello = clientHello(extension(0x0010, HEX.parseHex("0003026833"))); // ALPN "h3" only

        assertThat(ClientPayloadLimit.fromClientHello(hello)).isEqualTo(ClientPayloadLimit.UNKNOWN);
        assertThat(ClientPayloadLimit.fromClientHello(HEX.parseHex("02000000"))).as("not a ClientHello")
                .isEqualTo(ClientPayloadLimit.UNKNOWN);
        assertThat(ClientPayloadLimit.fromClientHello(clientHello(transportParameters("0304" + "4546"))))
                .as("a parameter longer than its list").isEqualTo(ClientPayloadLimit.UNKNOWN);
    }

    private static byte[] transportParameters(String hex) {
        return extension(0x0039, HEX.parseHex(hex));
    }

    private static byte[] extension(int type, byte[] data) {
        return concat(new byte[] {(byte) (type >> 8), (byte) type, (byte) (data.length >> 8), (byte) data.length}, data);
    }

    /** A ClientHello handshake message: TLS 1.2 legacy version, zero random, no session ID, one cipher suite. */
    private static byte[] clientHello(byte[] extensions) {
        byte[] body = concat(HEX.parseHex("0303"), new byte[32], HEX.parseHex("00" + "00021301" + "0100"),
                new byte[] {(byte) (extensions.length >> 8), (byte) extensions.length}, extensions);
        return concat(new byte[] {1, 0, (byte) (body.length >> 8), (byte) body.length}, body);
    }

    /** A CRYPTO frame with 2-byte varints for its offset and length. */
    private static byte[] crypto(int offset, byte[] data) {
        return concat(new byte[] {0x06, (byte) (0x40 | offset >> 8), (byte) offset,
                (byte) (0x40 | data.length >> 8), (byte) data.length}, data);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
