// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import quicpool.api.spi.TransportConnection;
import quicpool.api.spi.TransportStream;
import quicpool.compliance.RequiresTransport;

@RequiresTransport("netty")
@ExtendWith(LeakCheck.class)
@Timeout(60)
class EchoTest {

    private static final int MIB = 1 << 20;

    @Test
    void oneMebibyteTravelsBothWaysUnchanged() throws Exception {
        try (Loopback loop = new Loopback(Loopback.settings(), null)) {
            TransportConnection client = loop.dial();
            TransportStream stream = client.openStream(Duration.ofSeconds(5));
            byte[] data = random(MIB, 42);
            Future<?> sent = loop.workers.submit(() -> {
                writeInPieces(stream.outputStream(), data, 10_000);
                stream.shutdownOutput();
                return null;
            });
            TransportStream server = loop.nextPeerStream();
            Future<?> echo = loop.workers.submit(() -> {
                server.inputStream().transferTo(server.outputStream());
                server.shutdownOutput();
                return null;
            });

            byte[] back = stream.inputStream().readAllBytes();

            echo.get(30, TimeUnit.SECONDS);
            sent.get(30, TimeUnit.SECONDS);
            assertThat(back).hasSize(MIB);
            assertThat(sha256(back)).isEqualTo(sha256(data));
            stream.close();
            server.close();
        }
    }

    @Test
    void oneHundredTwentyEightStreamsAtOnceOnOneConnection() throws Exception {
        try (Loopback loop = new Loopback(Loopback.settings(), null)) {
            loop.workers.execute(() -> {
                // The server echoes every stream on its own worker.
                while (!Thread.currentThread().isInterrupted()) {
                    try {
                        TransportStream s = loop.peerStreams.take();
                        Loopback.echo(loop.workers).onStream(s);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            TransportConnection client = loop.dial();
            List<TransportStream> streams = new ArrayList<>();
            for (int i = 0; i < 128; i++) {
                streams.add(client.openStream(Duration.ofSeconds(5)));
            }
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < streams.size(); i++) {
                TransportStream s = streams.get(i);
                byte[] data = random(32 * 1024, i);
                loop.workers.submit(() -> {
                    writeInPieces(s.outputStream(), data, 4096);
                    s.shutdownOutput();
                    return null;
                });
                results.add(loop.workers.submit(() -> MessageDigest.isEqual(
                        sha256(s.inputStream().readAllBytes()), sha256(data))));
            }
            for (Future<Boolean> r : results) {
                assertThat(r.get(30, TimeUnit.SECONDS)).as("echo equal").isTrue();
            }
            assertThat(streams).extracting(TransportStream::streamId).doesNotHaveDuplicates();
            streams.forEach(TransportStream::close);
        }
    }

    static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    static void writeInPieces(OutputStream out, byte[] data, int piece) throws Exception {
        for (int off = 0; off < data.length; off += piece) {
            out.write(data, off, Math.min(piece, data.length - off));
        }
    }

    static byte[] sha256(byte[] b) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(b);
    }
}
