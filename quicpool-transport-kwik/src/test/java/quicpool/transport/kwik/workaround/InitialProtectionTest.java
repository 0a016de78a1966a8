// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik.workaround;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import quicpool.transport.kwik.workaround.InitialProtection.Sender;

/**
 * Opening Initial packets of both directions and reading their frames, checked against the
 * examples of RFC 9001 Appendix A.2 (the client's first Initial) and A.3 (the server's).
 */
@Timeout(10)
class InitialProtectionTest {

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
    /** The protected client Initial packet of RFC 9001 A.2 (packet number 2: a ClientHello, padded to 1200 bytes). */
    static final byte[] CLIENT_INITIAL = HEX.parseHex("""
            c000000001088394c8f03e5157080000449e7b9aec34d1b1c98dd7689fb8ec11
            d242b123dc9bd8bab936b47d92ec356c0bab7df5976d27cd449f63300099f399
            1c260ec4c60d17b31f8429157bb35a1282a643a8d2262cad67500cadb8e7378c
            8eb7539ec4d4905fed1bee1fc8aafba17c750e2c7ace01e6005f80fcb7df6212
            30c83711b39343fa028cea7f7fb5ff89eac2308249a02252155e2347b63d58c5
            457afd84d05dfffdb20392844ae812154682e9cf012f9021a6f0be17ddd0c208
            4dce25ff9b06cde535d0f920a2db1bf362c23e596d11a4f5a6cf3948838a3aec
            4e15daf8500a6ef69ec4e3feb6b1d98e610ac8b7ec3faf6ad760b7bad1db4ba3
            485e8a94dc250ae3fdb41ed15fb6a8e5eba0fc3dd60bc8e30c5c4287e53805db
            059ae0648db2f64264ed5e39be2e20d82df566da8dd5998ccabdae053060ae6c
            7b4378e846d29f37ed7b4ea9ec5d82e7961b7f25a9323851f681d582363aa5f8
            9937f5a67258bf63ad6f1a0b1d96dbd4faddfcefc5266ba6611722395c906556
            be52afe3f565636ad1b17d508b73d8743eeb524be22b3dcbc2c7468d54119c74
            68449a13d8e3b95811a198f3491de3e7fe942b330407abf82a4ed7c1b311663a
            c69890f4157015853d91e923037c227a33cdd5ec281ca3f79c44546b9d90ca00
            f064c99e3dd97911d39fe9c5d0b23a229a234cb36186c4819e8b9c5927726632
            291d6a418211cc2962e20fe47feb3edf330f2c603a9d48c0fcb5699dbfe58964
            25c5bac4aee82e57a85aaf4e2513e4f05796b07ba2ee47d80506f8d2c25e50fd
            14de71e6c418559302f939b0e1abd576f279c4b2e0feb85c1f28ff18f58891ff
            ef132eef2fa09346aee33c28eb130ff28f5b766953334113211996d20011a198
            e3fc433f9f2541010ae17c1bf202580f6047472fb36857fe843b19f5984009dd
            c324044e847a4f4a0ab34f719595de37252d6235365e9b84392b061085349d73
            203a4a13e96f5432ec0fd4a1ee65accdd5e3904df54c1da510b0ff20dcc0c77f
            cb2c0e0eb605cb0504db87632cf3d8b4dae6e705769d1de354270123cb11450e
            fc60ac47683d7b8d0f811365565fd98c4c8eb936bcab8d069fc33bd801b03ade
            a2e1fbc5aa463d08ca19896d2bf59a071b851e6c239052172f296bfb5e724047
            90a2181014f3b94a4e97d117b438130368cc39dbb2d198065ae3986547926cd2
            162f40a29f0c3c8745c0f50fba3852e566d44575c29d39a03f0cda721984b6f4
            40591f355e12d439ff150aab7613499dbd49adabc8676eef023b15b65bfc5ca0
            6948109f23f350db82123535eb8a7433bdabcb909271a6ecbcb58b936a88cd4e
            8f2e6ff5800175f113253d8fa9ca8885c2f552e657dc603f252e1a8e308f76f0
            be79e2fb8f5d5fbbe2e30ecadd220723c8c0aea8078cdfcb3868263ff8f09400
            54da48781893a7e49ad5aff4af300cd804a6b6279ab3ff3afb64491c85194aab
            760d58a606654f9f4400e8b38591356fbf6425aca26dc85244259ff2b19c41b9
            f96f3ca9ec1dde434da7d2d392b905ddf3d1f9af93d1af5950bd493f5aa731b4
            056df31bd267b6b90a079831aaf579be0a39013137aac6d404f518cfd4684064
            7e78bfe706ca4cf5e9c5453e9f7cfd2b8b4c8d169a44e55c88d4a9a7f9474241
            e221af44860018ab0856972e194cd934
            """.replace("\n", ""));
    /** The start of its payload: CRYPTO at offset 0 of length 241, ClientHello, TLS 1.2 legacy version, random. */
    private static final String CLIENT_PAYLOAD_START = "060040f1010000ed0303ebf8fa56f12939b9584a3896472ec40bb863";
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

        assertThat(InitialProtection.open(Sender.SERVER, ODCID, SERVER_INITIAL, header)).isEqualTo(SERVER_PAYLOAD);
        assertThat(InitialFrames.connectionClose(SERVER_PAYLOAD)).as("ACK and CRYPTO").isNull();
        assertThat(InitialProtection.open(Sender.SERVER, HEX.parseHex("8394c8f03e515709"), SERVER_INITIAL, header))
                .as("another connection's keys").isNull();
        assertThat(InitialProtection.open(Sender.CLIENT, ODCID, SERVER_INITIAL, header)).as("the client's keys").isNull();
    }

    @Test
    void opensTheClientsFirstInitialWithTheKeysOfItsOwnDestinationId() {
        InitialHeader header = InitialHeader.parse(CLIENT_INITIAL, 0, CLIENT_INITIAL.length);

        assertThat(HEX.formatHex(header.destinationId())).isEqualTo(HEX.formatHex(ODCID));
        assertThat(header.alone()).isTrue();
        byte[] payload = InitialProtection.open(Sender.CLIENT, header.destinationId(), CLIENT_INITIAL, header);
        assertThat(payload).hasSize(CLIENT_INITIAL.length - 22 - 16); // header with a 4-byte packet number; tag
        assertThat(HEX.formatHex(payload)).startsWith(CLIENT_PAYLOAD_START);
        assertThat(InitialProtection.open(Sender.SERVER, ODCID, CLIENT_INITIAL, header)).as("the server's keys").isNull();
    }

    @Test
    void opensAnInitialOnlyWhereItLiesInTheDatagram() {
        byte[] datagram = new byte[7 + CLIENT_INITIAL.length + 40];
        System.arraycopy(CLIENT_INITIAL, 0, datagram, 7, CLIENT_INITIAL.length);
        InitialHeader header = InitialHeader.parse(datagram, 7, CLIENT_INITIAL.length + 40);

        assertThat(header.alone()).as("zeros after it").isFalse();
        assertThat(HEX.formatHex(InitialProtection.open(Sender.CLIENT, ODCID, datagram, header)))
                .startsWith(CLIENT_PAYLOAD_START);
        assertThat(datagram).as("left as it was").startsWith(new byte[7]).containsSequence(CLIENT_INITIAL);
    }

    @Test
    void opensNoPacketWhoseBytesChanged() {
        for (int at : new int[] {0, 7, 22, 600, CLIENT_INITIAL.length - 1}) {
            byte[] changed = CLIENT_INITIAL.clone();
            changed[at] ^= 0x01;
            InitialHeader header = InitialHeader.parse(changed, 0, changed.length);

            assertThat(header).as("byte %d changed", at).isNotNull();
            assertThat(InitialProtection.open(Sender.CLIENT, header.destinationId(), changed, header))
                    .as("byte %d changed", at).isNull();
        }
    }

    @Test
    void findsAConnectionCloseAfterAnAckAndBeforePadding() {
        byte[] ack = HEX.parseHex("0200000000");
        byte[] ackWithRangesAndEcn = HEX.parseHex("03050001020103010101");
        byte[] close = HEX.parseHex("1c41780003616263"); // CRYPTO_ERROR 0x178, frame type 0, reason "abc"
        ConnectionClose expected = new ConnectionClose(false, 0x178, "abc");

        assertThat(InitialFrames.connectionClose(concat(ack, close, new byte[30]))).isEqualTo(expected);
        assertThat(InitialFrames.connectionClose(concat(ackWithRangesAndEcn, close))).isEqualTo(expected);
        assertThat(InitialFrames.connectionClose(concat(ack, new byte[30]))).isNull();
        assertThat(InitialFrames.connectionClose(HEX.parseHex("0640"))).as("cut short").isNull();
    }

    @Test
    void readsWhatAConnectionCloseSays() {
        assertThat(InitialFrames.connectionClose(HEX.parseHex("1c41780000")).describe())
                .isEqualTo("CONNECTION_CLOSE error 0x178 (TLS alert no_application_protocol)");
        assertThat(InitialFrames.connectionClose(HEX.parseHex("1c020006627573792121")).describe())
                .isEqualTo("CONNECTION_CLOSE error 0x2 (CONNECTION_REFUSED): \"busy!!\"");
        assertThat(InitialFrames.connectionClose(HEX.parseHex("1d0700")).describe())
                .as("application close: no frame type").isEqualTo("application CONNECTION_CLOSE error 0x7");
        assertThat(InitialFrames.connectionClose(HEX.parseHex("1c41780009ab")).describe())
                .as("reason cut short").isEqualTo("CONNECTION_CLOSE error 0x178 (TLS alert no_application_protocol)");
        assertThat(InitialFrames.connectionClose(HEX.parseHex("1c")).describe())
                .isEqualTo("CONNECTION_CLOSE (error code unreadable)");
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
