// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import quicpool.api.spi.StreamHandler;
import quicpool.api.spi.TransportConnection;
import quicpool.api.spi.TransportStream;
import quicpool.compliance.RequiresTransport;

/**
 * A peer's stream reaches the stream handler with the bytes that opened it already readable. A
 * server pool relies on that: it tells a client's stream whose handshake byte is there from one
 * that makes a handshake worker wait, and refuses streams beyond its limits on waiting ones.
 */
@RequiresTransport("netty")
@ExtendWith(LeakCheck.class)
@Timeout(60)
class PeerStreamBytesOnArrivalTest {

    private static final int STREAMS = 50;

    @Test
    void theBytesAStreamOpensWithAreReadableWhenTheHandlerGetsIt() throws Exception {
        BlockingQueue<Integer> readableOnArrival = new LinkedBlockingQueue<>();
        List<TransportStream> serverStreams = new CopyOnWriteArrayList<>();
        StreamHandler handler = stream -> {
            serverStreams.add(stream);
            readableOnArrival.add(available(stream));
        };
        try (Loopback loop = new Loopback(Loopback.settings(), handler)) {
            TransportConnection client = loop.dial();
            for (int i = 0; i < STREAMS; i++) {
                TransportStream stream = client.openStream(Duration.ofSeconds(5));
                OutputStream out = stream.outputStream();
                out.write(new byte[] {0, 1, 2});
                out.flush();
                Integer readable = readableOnArrival.poll(5, TimeUnit.SECONDS);
                assertThat(readable).as("bytes readable when the handler got stream %d (null: it never came)", i)
                        .isEqualTo(3);
                stream.close();
            }
        } finally {
            serverStreams.forEach(TransportStream::close);
        }
    }

    private static int available(TransportStream stream) {
        try {
            return stream.inputStream().available();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
