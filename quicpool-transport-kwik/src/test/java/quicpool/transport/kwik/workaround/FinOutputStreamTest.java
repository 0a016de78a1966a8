// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik.workaround;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tech.kwik.core.QuicConnection;

/**
 * The stream output's close runs on the connection's sender thread, where Kwik 0.10.8's send-request
 * race cannot leave bytes and FIN behind (see {@link SenderThreadActions}), and only there, as long
 * as the connection can wake that thread with a DATAGRAM.
 */
@Timeout(10)
class FinOutputStreamTest {

    /** Kwik's stream output, as far as the close goes: records which thread closed it. */
    private static final class Sink extends ByteArrayOutputStream {
        final AtomicReference<Thread> closedBy = new AtomicReference<>();

        @Override
        public void close() {
            closedBy.compareAndSet(null, Thread.currentThread());
        }
    }

    /** A connection that can or cannot send DATAGRAMs, recording those sent. */
    private static QuicConnection connection(boolean datagrams, List<byte[]> sent) {
        return (QuicConnection) Proxy.newProxyInstance(QuicConnection.class.getClassLoader(),
                new Class<?>[] {QuicConnection.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "canSendDatagram" -> datagrams;
                    case "sendDatagram" -> {
                        sent.add((byte[]) args[0]);
                        yield null;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void closeRunsOnTheSenderThreadWhenItSendsItsNextDatagram() throws Exception {
        List<byte[]> wakeUps = new CopyOnWriteArrayList<>();
        SenderThreadActions senderThread = new SenderThreadActions();
        senderThread.attach(connection(true, wakeUps));
        Sink sink = new Sink();
        FinOutputStream out = new FinOutputStream(sink, senderThread);

        out.write(new byte[3000]);
        out.close();
        out.close();

        assertThat(sink.size()).as("bytes handed to Kwik at once, in frame-sized chunks").isEqualTo(3000);
        assertThat(sink.closedBy.get()).as("Kwik's output closed by the caller").isNull();
        assertThat(wakeUps).as("one DATAGRAM asked for to wake the sender thread").hasSize(1);
        assertThatThrownBy(() -> out.write(1)).isInstanceOf(IOException.class).hasMessageContaining("FIN sent");

        Thread sender = new Thread(senderThread::runPending, "kwik-sender-stand-in");
        sender.start();
        sender.join(5_000);
        assertThat(sink.closedBy.get()).as("the thread that closed Kwik's output").isSameAs(sender);
    }

    @Test
    void withoutDatagramsTheCloseRunsOnTheCaller() {
        List<byte[]> wakeUps = new CopyOnWriteArrayList<>();
        SenderThreadActions senderThread = new SenderThreadActions();
        senderThread.attach(connection(false, wakeUps));
        Sink sink = new Sink();

        new FinOutputStream(sink, senderThread).close();

        assertThat(sink.closedBy.get()).isSameAs(Thread.currentThread());
        assertThat(wakeUps).isEmpty();
    }
}
