// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import quicpool.api.spi.TransportConnection;
import quicpool.api.spi.TransportStream;
import quicpool.compliance.RequiresTransport;

/** The peer allows 128 open streams; closed streams give their credit back. */
@RequiresTransport("netty")
@ExtendWith(LeakCheck.class)
@Timeout(60)
class StreamCreditTest {

    enum CloseOrder { CLIENT_FIRST, SERVER_FIRST, BOTH_FIN_FIRST }

    @ParameterizedTest
    @EnumSource(CloseOrder.class)
    void moreThan128StreamsOneAfterAnotherWhenEachIsClosedByBothEnds(CloseOrder order) throws Exception {
        try (Loopback loop = new Loopback()) {
            TransportConnection client = loop.dial();
            for (int i = 0; i < 160; i++) {
                TransportStream c = client.openStream(Duration.ofSeconds(5));
                c.outputStream().write(0);
                TransportStream s = loop.nextPeerStream();
                assertThat(s.inputStream().read()).isZero();
                s.outputStream().write(new byte[] {1, 2, 3, 4});
                assertThat(c.inputStream().readNBytes(4)).containsExactly(1, 2, 3, 4);
                switch (order) {
                    case CLIENT_FIRST:
                        c.close();
                        s.close();
                        break;
                    case SERVER_FIRST:
                        s.close();
                        c.close();
                        break;
                    default:
                        c.shutdownOutput();
                        s.shutdownOutput();
                        assertThat(s.inputStream().read()).isEqualTo(-1);
                        assertThat(c.inputStream().read()).isEqualTo(-1);
                        c.close();
                        s.close();
                }
            }
        }
    }

    @Test
    void openingWaitsForCreditAndFailsClearlyWhenNoneComes() throws Exception {
        try (Loopback loop = new Loopback()) {
            TransportConnection client = loop.dial();
            List<TransportStream> open = new ArrayList<>();
            for (int i = 0; i < 128; i++) {
                TransportStream s = client.openStream(Duration.ofSeconds(5));
                s.outputStream().write(0); // the peer learns of a stream with its first byte
                open.add(s);
            }
            List<TransportStream> serverEnds = new ArrayList<>();
            for (int i = 0; i < 128; i++) {
                serverEnds.add(loop.nextPeerStream());
            }

            assertThatThrownBy(() -> client.openStream(Duration.ofMillis(200)))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("no stream credit")
                    .hasMessageContaining("PT0.2S");

            Future<TransportStream> waiting = loop.workers.submit(() -> client.openStream(Duration.ofSeconds(10)));
            open.get(0).close();
            serverEnds.get(0).close();
            TransportStream next = waiting.get(10, TimeUnit.SECONDS);
            assertThat(next.streamId()).isNotIn(open.stream().map(TransportStream::streamId).toArray());
            next.close();
            open.forEach(TransportStream::close);
            serverEnds.forEach(TransportStream::close);
        }
    }

    @Test
    void aWaitingOpenIsInterruptible() throws Exception {
        try (Loopback loop = new Loopback()) {
            TransportConnection client = loop.dial();
            List<TransportStream> open = new ArrayList<>();
            for (int i = 0; i < 128; i++) {
                open.add(client.openStream(Duration.ofSeconds(5)));
            }
            Thread caller = Thread.currentThread();
            loop.workers.execute(caller::interrupt);
            assertThatThrownBy(() -> client.openStream(Duration.ofSeconds(20)))
                    .isInstanceOf(InterruptedException.class);
            open.forEach(TransportStream::close);
        }
    }
}
