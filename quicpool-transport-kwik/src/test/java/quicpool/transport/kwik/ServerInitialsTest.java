package quicpool.transport.kwik;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Reading a server's Initial packets, checked against the example of RFC 9001 Appendix A.3. */
@Timeout(10)
class ServerInitialsTest {

    private static final HexFormat HEX = HexFormat.of();
    /** The client's original destination connection ID of RFC 9001 Appendix A. */
    private static final byte[] ODCID = HEX.parseHex("8394c8f03e515708");
    /** The protected server Initial packet of RFC 9001 A.3 (packet number 1: ACK and ServerHello). */
    private static final byte[] SERVER_INITIAL = HEX.parseHex(
            "cf000000010008f067a5502a4262b5004075c0d95a482cd0991cd25b0aac406a"
            + "5816b6394100f37a1c69797554780bb38cc5a99f5ede4cf73c3ec2493a1839b3"
            + "dbcba3f6ea46c5b7684df3548e7ddeb9c3bf9c73cc3f3bded74b562bfb19fb84"
            + "022f8ef4cdd93795d77d06edbb7aaf2f58891850abbdca3d20398c276456cbc4"
            + "2158407dd074ee");
    private static final byte[] SERVER_PAYLOAD = HEX.parseHex(
            "02000000000600405a020000560303eefce7f7b37ba1d1632e96677825ddf739"
            + "88cfc79825df566dc5430b9a045a1200130100002e00330024001d00209d3c94"
            + "0d89690b84d08a60993c144eca684d1081287c834d5311bcf32bb9da1a002b00"
            + "020304");

    @Test
    void readsTheHeaderOfALoneInitialPacket() {
        InitialHeader header = InitialHeader.parse(SERVER_INITIAL, 0, SERVER_INITIAL.length);

        assertThat(header).isNotNull();
        assertThat(header.destinationId()).isEmpty();
        assertThat(HEX.formatHex(header.sourceId())).isEqualTo("f067a5502a4262b5");
        assertThat(header.packetNumberOffset()).isEqualTo(18);
        assertThat(header.alone()).isTrue();
    }

    @Test
    void seesAPacketCoalescedAfterTheInitial() {
        byte[] coalesced = Arrays.copyOf(SERVER_INITIAL, SERVER_INITIAL.length + 40);
        coalesced[SERVER_INITIAL.length] = (byte) 0xe0; // a Handshake packet follows

        assertThat(InitialHeader.parse(coalesced, 0, coalesced.length).alone()).isFalse();
    }

    @Test
    void takesNoOtherPacketForAnInitial() {
        byte[] shortHeader = HEX.parseHex("41b01fd24a586a9cf30003aabbccddeeff00112233");
        byte[] handshake = SERVER_INITIAL.clone();
        handshake[0] = (byte) 0xe0;
        byte[] otherVersion = SERVER_INITIAL.clone();
        otherVersion[4] = 2;

        assertThat(InitialHeader.parse(shortHeader, 0, shortHeader.length)).isNull();
        assertThat(InitialHeader.parse(handshake, 0, handshake.length)).isNull();
        assertThat(InitialHeader.parse(otherVersion, 0, otherVersion.length)).isNull();
        assertThat(InitialHeader.parse(SERVER_INITIAL, 0, 20)).as("cut short").isNull();
    }

    @Test
    void opensTheServersInitialWithTheKeysOfTheOriginalDestinationId() {
        InitialHeader header = InitialHeader.parse(SERVER_INITIAL, 0, SERVER_INITIAL.length);

        assertThat(ServerInitials.open(ODCID, SERVER_INITIAL, header)).isEqualTo(SERVER_PAYLOAD);
        assertThat(ServerInitials.closesConnection(ODCID, SERVER_INITIAL, header)).as("ACK and CRYPTO").isFalse();
        assertThat(ServerInitials.open(HEX.parseHex("8394c8f03e515709"), SERVER_INITIAL, header))
                .as("another connection's keys").isNull();
    }

    @Test
    void findsAConnectionCloseAfterAnAckAndBeforePadding() {
        byte[] ack = HEX.parseHex("0200000000");
        byte[] ackWithRangesAndEcn = HEX.parseHex("03050001020103010101");
        byte[] close = HEX.parseHex("1c41780003616263"); // CRYPTO_ERROR 0x178, frame type 0, reason "abc"

        assertThat(InitialFrames.carryConnectionClose(concat(ack, close, new byte[30]))).isTrue();
        assertThat(InitialFrames.carryConnectionClose(concat(ackWithRangesAndEcn, close))).isTrue();
        assertThat(InitialFrames.carryConnectionClose(SERVER_PAYLOAD)).isFalse();
        assertThat(InitialFrames.carryConnectionClose(concat(ack, new byte[30]))).isFalse();
        assertThat(InitialFrames.carryConnectionClose(HEX.parseHex("0640"))).as("cut short").isFalse();
    }

    private static byte[] concat(byte[]... parts) {
        byte[] all = new byte[0];
        for (byte[] part : parts) {
            int at = all.length;
            all = Arrays.copyOf(all, at + part.length);
            System.arraycopy(part, 0, all, at, part.length);
        }
        return all;
    }
}
