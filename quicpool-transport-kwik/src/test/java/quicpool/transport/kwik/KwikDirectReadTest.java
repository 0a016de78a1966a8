// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import quicpool.api.spi.TransportConnection;
import quicpool.api.spi.TransportListener;
import quicpool.api.spi.TransportStream;
import quicpool.compliance.Conditions;
import tech.kwik.core.QuicStream;

/**
 * A read that waits does so on the reading thread (Kwik's stream package is opened to the module
 * in the tests, as the README asks of users), and every way a wait can end reaches it: bytes, the
 * peer's reset, the connection's end, an interrupt. Kwik interrupts the thread it takes for the
 * reader when a stream is reset or aborted; none of those interrupts may reach the reader's thread.
 */
@Timeout(60)
class KwikDirectReadTest {

    private static final Duration OPEN = Duration.ofSeconds(5);
    private static final long BOUND_MS = 10_000;

    private final Loopback loopback = new Loopback();
    private final CompletableFuture<TransportStream> served = new CompletableFuture<>();
    private TransportListener listener;
    private TransportConnection connection;

    @AfterEach
    void tearDown() {
        loopback.close();
    }

    @Test
    void aWaitingReadTakesTheBytesOnItsOwnThread() throws Exception {
        TransportStream stream = openToAServerThatHoldsIts();
        BlockedRead read = BlockedRead.waitingOn(stream);

        served.get(BOUND_MS, TimeUnit.MILLISECONDS).outputStream().write(new byte[] {7, 8, 9});
        served.get().outputStream().flush();

        assertThat(read.result.get(BOUND_MS, TimeUnit.MILLISECONDS)).isEqualTo("read 3");
        assertThat(Arrays.copyOf(read.buffer, 3)).containsExactly(7, 8, 9);
        assertThat(read.interruptedAfter).as("the reader's interrupt status").isFalse();
    }

    @Test
    void thePeersResetEndsAWaitingReadAndLeavesTheReaderUninterrupted() throws Exception {
        TransportStream stream = openToAServerThatHoldsIts();
        BlockedRead read = BlockedRead.waitingOn(stream);

        quicStreamOf(served.get(BOUND_MS, TimeUnit.MILLISECONDS)).resetStream(42);

        assertThat(read.result.get(BOUND_MS, TimeUnit.MILLISECONDS))
                .startsWith("failed: ")
                .contains("QUIC stream " + stream.streamId() + ": Stream reset by peer");
        assertThat(read.interruptedAfter).as("the reader's interrupt status").isFalse();
    }

    @Test
    void theConnectionsEndEndsAWaitingReadAndLeavesTheReaderUninterrupted() throws Exception {
        TransportStream stream = openToAServerThatHoldsIts();
        BlockedRead read = BlockedRead.waitingOn(stream);

        CompletableFuture<Void> ended = new CompletableFuture<>();
        connection.onClose(() -> ended.complete(null));

        listener.close();

        assertThat(read.result.get(BOUND_MS, TimeUnit.MILLISECONDS))
                .startsWith("failed: ").contains("QUIC stream " + stream.streamId() + ": ");
        assertThat(read.interruptedAfter).as("the reader's interrupt status").isFalse();
        // Kwik may abort the stream before its end event reaches the transport; the failure's
        // message names the reason as soon as the transport knows it.
        ended.get(BOUND_MS, TimeUnit.MILLISECONDS);
        assertThat(read.failure.getMessage()).contains("the connection ended: ");
    }

    @Test
    void closingTheStreamFromAnotherThreadEndsAWaitingRead() throws Exception {
        TransportStream stream = openToAServerThatHoldsIts();
        BlockedRead read = BlockedRead.waitingOn(stream);

        stream.close();

        assertThat(read.result.get(BOUND_MS, TimeUnit.MILLISECONDS))
                .isEqualTo("failed: java.io.IOException: QUIC stream " + stream.streamId() + " is closed");
        assertThat(read.interruptedAfter).as("the reader's interrupt status").isFalse();
    }

    @Test
    void interruptingAWaitingReadEndsItAndKeepsTheInterrupt() throws Exception {
        TransportStream stream = openToAServerThatHoldsIts();
        BlockedRead read = BlockedRead.waitingOn(stream);

        read.thread.interrupt();

        assertThat(read.result.get(BOUND_MS, TimeUnit.MILLISECONDS))
                .startsWith("failed: " + InterruptedIOException.class.getName());
        assertThat(read.interruptedAfter).as("the reader's interrupt status").isTrue();
    }

    @Test
    void aBoundedWaitEndsOnTimeAndLaterBytesAreReadInOrder() throws Exception {
        TransportStream stream = openToAServerThatHoldsIts();
        stream.setReadTimeout(Duration.ofMillis(300));
        BlockedRead read = BlockedRead.waitingOn(stream);

        assertThat(read.result.get(BOUND_MS, TimeUnit.MILLISECONDS))
                .startsWith("failed: java.net.SocketTimeoutException");
        served.get().outputStream().write(new byte[] {1, 2});
        served.get().outputStream().flush();
        stream.setReadTimeout(Duration.ofMillis(BOUND_MS));
        assertThat(KwikStreamTest.readExactly(stream.inputStream(), 2)).containsExactly(1, 2);
    }

    /** A stream whose server end is handed to the test and neither read nor written by the server. */
    private TransportStream openToAServerThatHoldsIts() throws Exception {
        listener = loopback.listen(connection -> served::complete);
        connection = loopback.connect(listener);
        TransportStream stream = connection.openStream(OPEN);
        stream.outputStream().write(1); // the server learns of the stream with its first byte
        stream.outputStream().flush();
        served.get(BOUND_MS, TimeUnit.MILLISECONDS);
        return stream;
    }

    private static QuicStream quicStreamOf(TransportStream stream) throws ReflectiveOperationException {
        Field field = KwikStream.class.getDeclaredField("stream");
        field.setAccessible(true);
        return (QuicStream) field.get(stream);
    }

    /** One read on a thread of its own, with how it ended and the thread's interrupt status after it. */
    private static final class BlockedRead {
        final byte[] buffer;
        final CompletableFuture<String> result = new CompletableFuture<>();
        final Thread thread;
        volatile boolean interruptedAfter;
        volatile IOException failure;

        private BlockedRead(TransportStream stream, int size) {
            buffer = new byte[size];
            thread = new Thread(() -> {
                String outcome;
                try {
                    outcome = "read " + stream.inputStream().read(buffer, 0, size);
                } catch (IOException e) {
                    failure = e;
                    outcome = "failed: " + e;
                }
                interruptedAfter = Thread.currentThread().isInterrupted();
                result.complete(outcome);
            }, "test-reader");
            thread.setDaemon(true);
        }

        /** A read of up to 16 bytes, once it waits in {@code DirectRead} on its own thread (no worker). */
        static BlockedRead waitingOn(TransportStream stream) {
            BlockedRead read = new BlockedRead(stream, 16);
            read.thread.start();
            read.awaitWaitingDirectly();
            return read;
        }

        private void awaitWaitingDirectly() {
            Conditions.await("the reader waits in DirectRead on its own thread", Duration.ofMillis(BOUND_MS),
                    this::waitsDirectly, () -> thread.getState() + " " + Arrays.toString(thread.getStackTrace()));
        }

        private boolean waitsDirectly() {
            Thread.State state = thread.getState();
            if (state != Thread.State.WAITING && state != Thread.State.TIMED_WAITING) {
                return false;
            }
            return Arrays.stream(thread.getStackTrace())
                    .anyMatch(frame -> frame.getClassName().endsWith("workaround.DirectRead"));
        }
    }
}
