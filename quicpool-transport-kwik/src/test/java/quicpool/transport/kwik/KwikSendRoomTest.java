// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import quicpool.api.spi.TransportConnection;
import quicpool.api.spi.TransportListener;
import quicpool.api.spi.TransportStream;
import quicpool.compliance.Conditions;

/**
 * A writer faster than its peer reads waits for room in Kwik's send buffer outside Kwik's write
 * (the transport's {@code SendRoom}); whatever ends the stream ends that wait, and a peer that reads
 * again gets every byte.
 */
@Timeout(60)
class KwikSendRoomTest {

    private static final Duration OPEN = Duration.ofSeconds(5);
    private final Loopback loopback = new Loopback();
    private final BlockingQueue<TransportStream> unread = new LinkedBlockingQueue<>();
    private final ExecutorService writers = Executors.newCachedThreadPool();

    @AfterEach
    void tearDown() throws InterruptedException {
        writers.shutdownNow();
        writers.awaitTermination(5, TimeUnit.SECONDS);
        loopback.close();
    }

    @Test
    void aWaitingWriterFinishesOnceThePeerReadsAndEveryByteArrives() throws Exception {
        Fixture f = writerWaitingForRoom();

        TransportStream server = unread.poll(5, TimeUnit.SECONDS);
        Future<byte[]> received = writers.submit(() -> KwikStreamTest.readAll(server.inputStream()));

        assertThat(f.outcome.get(30, TimeUnit.SECONDS)).isNull();
        f.stream.shutdownOutput();
        assertThat(KwikStreamTest.sha256(received.get(30, TimeUnit.SECONDS))).isEqualTo(KwikStreamTest.sha256(f.sent));
    }

    @Test
    void aWaitingWriterFailsOnceItsOutputIsClosedAndThePeerGetsTheFinAfterWhatWasWritten() throws Exception {
        Fixture f = writerWaitingForRoom();

        f.stream.shutdownOutput();

        assertThat(f.outcome.get(5, TimeUnit.SECONDS)).isInstanceOf(IOException.class)
                .hasMessageContaining("closed");
        TransportStream server = unread.poll(5, TimeUnit.SECONDS);
        byte[] received = writers.submit(() -> KwikStreamTest.readAll(server.inputStream())).get(20, TimeUnit.SECONDS);
        assertThat(received.length).as("bytes before the FIN").isPositive().isLessThan(f.sent.length);
        assertThat(received).isEqualTo(Arrays.copyOf(f.sent, received.length));
    }

    @Test
    void aWaitingWriterFailsOnceThePeerStopsReading() throws Exception {
        Fixture f = writerWaitingForRoom();

        unread.poll(5, TimeUnit.SECONDS).close(); // STOP_SENDING: Kwik resets the writer's output

        assertThat(f.outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(IOException.class);
    }

    @Test
    void aWaitingWriterFailsOnceTheConnectionEnds() throws Exception {
        Fixture f = writerWaitingForRoom();

        f.connection.close(0, "test over");

        assertThat(f.outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(IOException.class);
    }

    @Test
    void waitingForRoomIsInterruptible() throws Exception {
        Fixture f = writerWaitingForRoom();

        f.writer.interrupt();

        assertThat(f.outcome.get(5, TimeUnit.SECONDS)).isInstanceOf(InterruptedIOException.class);
    }

    private record Fixture(TransportConnection connection, TransportStream stream, byte[] sent, Thread writer,
                           Future<Throwable> outcome) {
    }

    /** A client stream whose writer waits for room, its peer holding the stream unread. */
    private Fixture writerWaitingForRoom() throws Exception {
        TransportListener listener = loopback.listen(connection -> unread::add);
        TransportConnection connection = loopback.connect(listener);
        TransportStream stream = connection.openStream(OPEN);
        // more than the peer's stream window and Kwik's send buffer together: the writer must wait
        byte[] sent = KwikStreamTest.random((int) loopback.settings.streamWindow() + (1 << 20), 7);
        CompletableFuture<Thread> writer = new CompletableFuture<>();
        Future<Throwable> outcome = writers.submit(() -> {
            writer.complete(Thread.currentThread());
            try {
                stream.outputStream().write(sent);
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        Thread thread = writer.get(5, TimeUnit.SECONDS);
        Conditions.await("the writer waits for room in its stream's send buffer", Duration.ofSeconds(10),
                () -> waitsForRoom(thread) || outcome.isDone(),
                () -> "writer " + thread.getState() + " on " + LockSupport.getBlocker(thread) + ", write done: " + outcome.isDone() + java.util.Arrays.toString(thread.getStackTrace()));
        assertThat(outcome.isDone()).as("the write cannot finish while the peer reads nothing").isFalse();
        return new Fixture(connection, stream, sent, thread, outcome);
    }

    private static boolean waitsForRoom(Thread thread) {
        Object blocker = LockSupport.getBlocker(thread);
        return blocker != null && blocker.getClass().getSimpleName().equals("SendRoom");
    }
}
