// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik.workaround;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.lang.reflect.Proxy;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tech.kwik.core.QuicConnection;

/**
 * A writer that Kwik's send-request race leaves parked on a full send buffer with no send request
 * gets one queued, on the sender thread, within a few checks; a writer that moves gets none.
 */
@Timeout(10)
class StalledWriteCheckTest {

    /**
     * Kwik's stream output as the race leaves it: a write parks on the send buffer's condition
     * until a send request empties it, and only an empty write (on the sender thread) queues one.
     */
    private static final class StrandedSink extends OutputStream {
        final ReentrantLock lock = new ReentrantLock();
        final Condition notFull = lock.newCondition();
        final AtomicReference<Thread> emptyWriteBy = new AtomicReference<>();
        final AtomicInteger emptyWrites = new AtomicInteger();
        boolean full;
        long written;

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            lock.lock();
            try {
                if (len == 0) {
                    emptyWrites.incrementAndGet();
                    emptyWriteBy.compareAndSet(null, Thread.currentThread());
                    full = false; // the send request it queued empties the buffer
                    notFull.signalAll();
                    return;
                }
                while (full) {
                    notFull.awaitUninterruptibly();
                }
                written += len;
            } finally {
                lock.unlock();
            }
        }
    }

    private final LinkedBlockingQueue<byte[]> wakeUps = new LinkedBlockingQueue<>();
    private final SenderThreadActions senderThread = new SenderThreadActions();
    private volatile boolean sending = true;
    /** Stands in for Kwik's sender thread: runs the pending actions each time a DATAGRAM is asked for. */
    private final Thread sender = new Thread(() -> {
        while (sending) {
            try {
                if (wakeUps.poll(50, TimeUnit.MILLISECONDS) != null) {
                    senderThread.runPending();
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }, "kwik-sender-stand-in");

    private static QuicConnection connection(LinkedBlockingQueue<byte[]> sent) {
        return (QuicConnection) Proxy.newProxyInstance(QuicConnection.class.getClassLoader(),
                new Class<?>[] {QuicConnection.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "canSendDatagram" -> true;
                    case "sendDatagram" -> sent.add((byte[]) args[0]);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @AfterEach
    void stopSender() throws InterruptedException {
        sending = false;
        sender.join(5_000);
    }

    @Test
    void aWriterParkedOnAFullBufferWithNoSendRequestGetsOneQueuedOnTheSenderThread() throws Exception {
        senderThread.attach(connection(wakeUps));
        sender.start();
        StrandedSink sink = new StrandedSink();
        sink.full = true;
        FinOutputStream out = new FinOutputStream(sink, senderThread);

        CompletableFuture<Void> write = CompletableFuture.runAsync(() -> {
            try {
                out.write(new byte[3000]);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        write.get(5, TimeUnit.SECONDS);
        assertThat(sink.written).as("bytes handed to Kwik").isEqualTo(3000);
        assertThat(sink.emptyWriteBy.get()).as("the thread that queued the send request").isSameAs(sender);
    }

    @Test
    void aWriterThatMovesGetsNoEmptyWrite() throws Exception {
        senderThread.attach(connection(wakeUps));
        sender.start();
        StrandedSink sink = new StrandedSink();
        FinOutputStream out = new FinOutputStream(sink, senderThread);
        long until = System.nanoTime() + StalledWriteCheck.FIRST_CHECK.multipliedBy(3).toNanos();
        while (System.nanoTime() - until < 0) {
            out.write(new byte[100]);
        }
        assertThat(sink.emptyWrites.get()).as("empty writes for a writer that never waited").isZero();
        assertThat(wakeUps).as("DATAGRAMs asked for").isEmpty();
    }
}
