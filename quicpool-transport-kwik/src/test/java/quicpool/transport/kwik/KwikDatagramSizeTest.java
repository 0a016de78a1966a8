// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import quicpool.api.spi.TransportListener;
import quicpool.api.spi.TransportStream;
import quicpool.compliance.Conditions;
import quicpool.compliance.UdpRelay;

/**
 * Each end of a Kwik connection probes its path and, where the probe of 1,452 bytes is
 * acknowledged, sends datagrams that large instead of Kwik's 1,252; where the path drops it, the
 * size stays and every byte still arrives.
 */
@Timeout(60)
class KwikDatagramSizeTest {

    private static final int BYTES = 1 << 20;
    /** The datagrams a mebibyte needs at Kwik's own size, even if every byte were stream data. */
    private static final int AT_KWIK_SIZE = BYTES / 1252;
    private static final Duration PROBED = Duration.ofSeconds(10);

    private final Loopback loopback = new Loopback();
    private final CompletableFuture<KwikConnection> serverSide = new CompletableFuture<>();
    private UdpRelay relay;

    @AfterEach
    void tearDown() throws InterruptedException {
        if (relay != null) {
            relay.close();
        }
        loopback.close();
    }

    @Test
    void overLoopbackBothEndsSendAMebibyteInFewerDatagramsThanKwikAloneWould() throws Exception {
        KwikConnection client = (KwikConnection) loopback.connect(listen());
        KwikConnection server = serverSide.get(5, TimeUnit.SECONDS);
        Conditions.await("both ends probed their path", PROBED,
                () -> client.maxUdpPayload() > 1252 && server.maxUdpPayload() > 1252,
                () -> "client " + client.maxUdpPayload() + ", server " + server.maxUdpPayload());
        // The probe's packet number may take fewer bytes than the 4 it is sized for: what it carried is kept.
        assertThat(client.maxUdpPayload()).isBetween(1449, 1452);
        assertThat(server.maxUdpPayload()).isBetween(1449, 1452);

        long clientBefore = client.statistics().datagramsSent();
        assertThat(exchange(client, BYTES)).hasSize(1); // a mebibyte up, a byte back
        assertThat((long) client.statistics().datagramsSent() - clientBefore).isLessThan(AT_KWIK_SIZE);

        long serverBefore = server.statistics().datagramsSent();
        assertThat(exchange(client, 1)).hasSize(BYTES); // a byte up, a mebibyte back
        assertThat((long) server.statistics().datagramsSent() - serverBefore).isLessThan(AT_KWIK_SIZE);
    }

    @Test
    void aPathThatDropsTheProbeKeepsKwiksSizeAndCarriesEveryByte() throws Exception {
        TransportListener listener = listen();
        relay = new UdpRelay(listener.localAddress(), 5);
        relay.mode(UdpRelay.Mode.narrow(1350));
        KwikConnection client = (KwikConnection) loopback.connect(relay.address(), loopback.trusting());
        KwikConnection server = serverSide.get(5, TimeUnit.SECONDS);

        // Each end's probes, tried until it gives up, and the relay drops each one.
        Conditions.await("both ends' probes dropped", PROBED, () -> relay.droppedAsTooLarge() >= 2 * 3,
                () -> relay.droppedAsTooLarge() + " dropped as too large");
        assertThat(exchange(client, BYTES)).hasSize(1);
        assertThat(exchange(client, 1)).hasSize(BYTES);
        assertThat(client.maxUdpPayload()).isEqualTo(1252);
        assertThat(server.maxUdpPayload()).isEqualTo(1252);
        assertThat(relay.droppedAsTooLarge()).as("only the probes").isEqualTo(2 * 3);
    }

    /** A server that answers a mebibyte to a request of one byte, and one byte to anything else. */
    private TransportListener listen() throws IOException {
        return loopback.listen(connection -> {
            serverSide.complete((KwikConnection) connection);
            return stream -> loopback.serverWork.execute(() -> readToEndAndAnswer(stream));
        });
    }

    /** Sends {@code bytes} bytes, half-closes, and returns what the server answers once it has read them all. */
    private static byte[] exchange(KwikConnection client, int bytes) throws Exception {
        try (TransportStream stream = client.openStream(Duration.ofSeconds(5))) {
            OutputStream out = stream.outputStream();
            out.write(new byte[bytes]);
            out.close();
            return stream.inputStream().readAllBytes();
        }
    }

    private static void readToEndAndAnswer(TransportStream stream) {
        try (stream) {
            InputStream in = stream.inputStream();
            long read = in.transferTo(OutputStream.nullOutputStream());
            OutputStream out = stream.outputStream();
            out.write(new byte[read == 1 ? BYTES : 1]);
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
