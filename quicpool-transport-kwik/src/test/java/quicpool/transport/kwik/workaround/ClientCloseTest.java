// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik.workaround;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import quicpool.transport.kwik.workaround.InitialProtection.Sender;

/** The client CONNECTION_CLOSE that ends a stalled handshake: what a server reads in it. */
@Timeout(10)
class ClientCloseTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] ORIGINAL = HEX.parseHex("8394c8f03e515708");
    private static final byte[] CLIENT_ID = HEX.parseHex("f067a5502a4262b5");

    @Test
    void isAClientInitialToTheOriginalIdThatItsKeysOpenAndThatCarriesAConnectionClose() throws Exception {
        byte[] d = ClientClose.datagram(ORIGINAL, CLIENT_ID);

        assertThat(d).hasSize(1200); // a server reads no Initial in a smaller datagram
        InitialHeader header = InitialHeader.parse(d, 0, d.length);
        assertThat(header).isNotNull();
        assertThat(header.destinationId()).isEqualTo(ORIGINAL);
        assertThat(header.sourceId()).isEqualTo(CLIENT_ID);
        assertThat(header.alone()).isTrue();
        byte[] payload = InitialProtection.open(Sender.CLIENT, ORIGINAL, d, header);
        assertThat(payload).as("opened with the client's Initial keys of the original ID").isNotNull();
        assertThat(InitialFrames.connectionClose(payload)).as("its frame")
                .isEqualTo(new ConnectionClose(false, 0, ""));
        assertThat(InitialProtection.open(Sender.SERVER, ORIGINAL, d, header)).as("the server's keys").isNull();
        assertThat(InitialProtection.open(Sender.CLIENT, CLIENT_ID, d, header)).as("another ID's keys").isNull();
    }
}
