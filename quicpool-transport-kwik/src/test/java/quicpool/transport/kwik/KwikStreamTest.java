// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import quicpool.api.spi.TransportConnection;
import quicpool.api.spi.TransportListener;
import quicpool.api.spi.TransportStream;

@Timeout(60)
class KwikStreamTest {

    private static final Duration OPEN = Duration.ofSeconds(5);

    private final Loopback loopback = new Loopback();
    private final ExecutorService clientWork = Executors.newCachedThreadPool();

    @AfterEach
    void tearDown() throws InterruptedException {
        clientWork.shutdownNow();
        clientWork.awaitTermination(5, TimeUnit.SECONDS);
        loopback.close();
    }

    @Test
    void echoesOneMebibyteBothWaysIntact() throws Exception {
        TransportListener listener = loopback.listenEcho();
        TransportConnection connection = loopback.connect(listener);
        byte[] sent = random(1 << 20, 1);

        TransportStream stream = connection.openStream(OPEN);
        Future<byte[]> received = clientWork.submit(() -> readAll(stream.inputStream()));
        stream.outputStream().write(sent);
        stream.shutdownOutput();

        assertThat(sha256(received.get(30, TimeUnit.SECONDS))).isEqualTo(sha256(sent));
        stream.close();
    }

    @Test
    void carries128ConcurrentStreams() throws Exception {
        TransportListener listener = loopback.listenEcho();
        TransportConnection connection = loopback.connect(listener);
        int streams = loopback.settings.maxBidiStreams();

        List<TransportStream> open = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            open.add(connection.openStream(OPEN));
        }
        List<Future<byte[]>> echoes = new ArrayList<>();
        List<byte[]> payloads = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            TransportStream stream = open.get(i);
            byte[] payload = random(4096, i);
            payloads.add(payload);
            echoes.add(clientWork.submit(() -> {
                stream.outputStream().write(payload);
                stream.shutdownOutput();
                return readAll(stream.inputStream());
            }));
        }
        for (int i = 0; i < streams; i++) {
            assertThat(echoes.get(i).get(30, TimeUnit.SECONDS)).as("stream %d", i).isEqualTo(payloads.get(i));
        }
        open.forEach(TransportStream::close);
    }

    @Test
    void whileThePeerGivesCreditAStreamOpensWithoutWaiting() throws Exception {
        TransportListener listener = loopback.listenEcho();
        TransportConnection connection = loopback.connect(listener);
        List<TransportStream> open = new ArrayList<>();
        open.add(connection.openStream(OPEN));

        for (int i = 1; i < loopback.settings.maxBidiStreams(); i++) {
            open.add(connection.openStream(Duration.ZERO));
        }
        assertThatThrownBy(() -> connection.openStream(Duration.ZERO))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("no stream credit");

        TransportStream last = open.get(open.size() - 1);
        last.outputStream().write(9);
        assertThat(last.inputStream().read()).isEqualTo(9);
        open.forEach(TransportStream::close);
    }

    @Test
    void theStreamBeyondThePeersLimitWaitsForCredit() throws Exception {
        TransportListener listener = loopback.listenEcho();
        TransportConnection connection = loopback.connect(listener);
        List<TransportStream> open = new ArrayList<>();
        for (int i = 0; i < loopback.settings.maxBidiStreams(); i++) {
            open.add(connection.openStream(OPEN));
        }

        long start = System.nanoTime();
        assertThatThrownBy(() -> connection.openStream(Duration.ofMillis(300)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("no stream credit");
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .isGreaterThanOrEqualTo(Duration.ofMillis(250))
                .isLessThan(Duration.ofSeconds(3));

        open.get(0).close(); // FIN: the server's echo ends and closes its side, the credit comes back
        TransportStream next = connection.openStream(OPEN);
        next.outputStream().write(7);
        assertThat(next.inputStream().read()).isEqualTo(7);
        next.close();
        open.forEach(TransportStream::close);
    }

    @Test
    void returnsStreamCreditAfterClose() throws Exception {
        TransportListener listener = loopback.listenEcho();
        TransportConnection connection = loopback.connect(listener);
        int rounds = 3 * loopback.settings.maxBidiStreams();

        for (int i = 0; i < rounds; i++) {
            TransportStream stream = connection.openStream(OPEN);
            stream.outputStream().write(i & 0xff);
            stream.shutdownOutput();
            assertThat(stream.inputStream().read()).isEqualTo(i & 0xff);
            assertThat(stream.inputStream().read()).isEqualTo(-1);
            stream.close();
        }
    }

    @Test
    void closingBeforeThePeersFinAlsoReturnsCredit() throws Exception {
        TransportListener listener = loopback.listenEcho();
        TransportConnection connection = loopback.connect(listener);
        int rounds = 2 * loopback.settings.maxBidiStreams() + 10;

        for (int i = 0; i < rounds; i++) {
            TransportStream stream = connection.openStream(OPEN);
            stream.outputStream().write(1);
            assertThat(stream.inputStream().read()).isEqualTo(1);
            stream.close(); // FIN and STOP_SENDING, the echo's FIN not read
        }
    }

    @Test
    void readTimesOutAndTheStreamStaysUsable() throws Exception {
        TransportListener listener = loopback.listenEcho();
        TransportConnection connection = loopback.connect(listener);
        TransportStream stream = connection.openStream(OPEN);
        stream.setReadTimeout(Duration.ofMillis(200));

        long start = System.nanoTime();
        assertThatThrownBy(() -> stream.inputStream().read()).isInstanceOf(SocketTimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .isGreaterThanOrEqualTo(Duration.ofMillis(150))
                .isLessThan(Duration.ofSeconds(3));

        // The read that timed out is still pending; what it brings is served next, nothing lost.
        byte[] message = "after the timeout".getBytes();
        stream.outputStream().write(message);
        assertThat(readExactly(stream.inputStream(), message.length)).isEqualTo(message);

        assertThatThrownBy(() -> stream.inputStream().read()).isInstanceOf(SocketTimeoutException.class)
                .hasMessageContaining("(" + message.length + " bytes read before it, no FIN received)");
        stream.setReadTimeout(Duration.ZERO);
        stream.shutdownOutput();
        assertThat(stream.inputStream().read()).isEqualTo(-1);
        stream.close();
    }

    @Test
    void finMakesReadReturnMinusOne() throws Exception {
        TransportListener listener = loopback.listenEcho();
        TransportConnection connection = loopback.connect(listener);
        TransportStream stream = connection.openStream(OPEN);

        stream.outputStream().write(new byte[] {1, 2, 3});
        stream.outputStream().close(); // FIN, like shutdownOutput
        stream.shutdownOutput();       // idempotent

        assertThat(readAll(stream.inputStream())).containsExactly(1, 2, 3);
        assertThat(stream.inputStream().read()).isEqualTo(-1);
        assertThatThrownBy(() -> stream.outputStream().write(4)).isInstanceOf(IOException.class);
        stream.close();
        stream.close();
    }

    @Test
    void closeWakesABlockedReader() throws Exception {
        TransportListener listener = loopback.listenEcho();
        TransportConnection connection = loopback.connect(listener);
        TransportStream stream = connection.openStream(OPEN);
        CompletableFuture<Integer> blocked = CompletableFuture.supplyAsync(() -> {
            try {
                return stream.inputStream().read();
            } catch (IOException e) {
                return -2;
            }
        }, clientWork);

        stream.close();

        assertThat(blocked.get(5, TimeUnit.SECONDS)).isEqualTo(-2);
    }

    @Test
    void waitingForCreditIsInterruptible() throws Exception {
        TransportListener listener = loopback.listenEcho();
        TransportConnection connection = loopback.connect(listener);
        for (int i = 0; i < loopback.settings.maxBidiStreams(); i++) {
            connection.openStream(OPEN);
        }
        CompletableFuture<Thread> waiter = new CompletableFuture<>();
        Future<Throwable> outcome = clientWork.submit(() -> {
            waiter.complete(Thread.currentThread());
            try {
                connection.openStream(Duration.ofSeconds(30));
                return null;
            } catch (Throwable t) {
                return t;
            }
        });

        waiter.get(5, TimeUnit.SECONDS).interrupt();

        assertThat(outcome.get(5, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
    }

    @Test
    void waitingForCreditEndsWhenTheConnectionCloses() throws Exception {
        TransportListener listener = loopback.listenEcho();
        TransportConnection connection = loopback.connect(listener);
        for (int i = 0; i < loopback.settings.maxBidiStreams(); i++) {
            connection.openStream(OPEN);
        }
        Future<Throwable> outcome = clientWork.submit(() -> {
            try {
                connection.openStream(Duration.ofSeconds(30));
                return null;
            } catch (Throwable t) {
                return t;
            }
        });

        listener.close();

        assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(IOException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> connection.openStream(OPEN)).isInstanceOf(IOException.class)
                .hasMessageContaining("closed");
    }

    static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[16 * 1024];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    static byte[] readExactly(InputStream in, int size) throws IOException {
        byte[] bytes = new byte[size];
        int done = 0;
        while (done < size) {
            int n = in.read(bytes, done, size - done);
            if (n < 0) {
                throw new IOException("end of stream after " + done + " of " + size + " bytes");
            }
            done += n;
        }
        return bytes;
    }

    static byte[] sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return MessageDigest.getInstance("SHA-256").digest(bytes);
    }
}
