// SPDX-License-Identifier: Apache-2.0
package quicpool.core.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import quicpool.api.spi.TransportStream;
import quicpool.core.registry.Stubs;

/**
 * What a user's {@code outputStream().close()} asks of the transport: the half-close alone, right
 * after the last write, so that a transport that keeps the newest bytes back (Netty) sends the FIN
 * in the same frame as them; a flush in between would make it send them first and the FIN alone.
 */
@Timeout(10)
class HalfCloseTest {

    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final PooledStream stream = new PooledStream("0000000a", new RecordingStream(), new Stubs.Conn(),
            this, () -> { });

    @Test
    void closingTheOutputHalfClosesRightAfterTheLastWrite() throws Exception {
        stream.outputStream().write(new byte[8]);
        stream.outputStream().close();

        assertThat(calls).containsExactly("write 8", "shutdownOutput");
    }

    @Test
    void flushReachesTheTransport() throws Exception {
        stream.outputStream().write(new byte[3]);
        stream.outputStream().flush();

        assertThat(calls).containsExactly("write 3", "flush");
    }

    /** A transport stream that records what reaches its output. */
    private final class RecordingStream implements TransportStream {
        private final OutputStream out = new OutputStream() {
            @Override
            public void write(int b) {
                calls.add("write 1");
            }

            @Override
            public void write(byte[] b, int off, int len) {
                calls.add("write " + len);
            }

            @Override
            public void flush() {
                calls.add("flush");
            }

            @Override
            public void close() {
                calls.add("close");
            }
        };

        @Override
        public long streamId() {
            return 0;
        }

        @Override
        public InputStream inputStream() {
            return InputStream.nullInputStream();
        }

        @Override
        public OutputStream outputStream() {
            return out;
        }

        @Override
        public void setReadTimeout(Duration timeout) {
        }

        @Override
        public void shutdownOutput() {
            calls.add("shutdownOutput");
        }

        @Override
        public void onPeerAbort(Runnable callback) {
        }

        @Override
        public void close() {
            calls.add("stream close");
        }
    }
}
