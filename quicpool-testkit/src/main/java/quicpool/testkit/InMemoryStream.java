// SPDX-License-Identifier: Apache-2.0
package quicpool.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Objects;
import quicpool.api.spi.TransportStream;

/**
 * One end of an in-memory bidirectional stream. {@code inputStream().close()} stops reading (the
 * peer's writes fail) and {@code outputStream().close()} sends FIN; {@link #close()} does both.
 */
final class InMemoryStream implements TransportStream {
    private final long id;
    private final Pipe in;
    private final Pipe out;
    private final InputStream input = new Input();
    private final OutputStream output = new Output();
    private volatile long readTimeoutNanos;

    InMemoryStream(long id, Pipe in, Pipe out) {
        this.id = id;
        this.in = in;
        this.out = out;
    }

    @Override
    public long streamId() {
        return id;
    }

    @Override
    public InputStream inputStream() {
        return input;
    }

    @Override
    public OutputStream outputStream() {
        return output;
    }

    @Override
    public void setReadTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("read timeout must be >= 0 (0 = no bound), was " + timeout);
        }
        readTimeoutNanos = Nanos.of(timeout);
    }

    @Override
    public void shutdownOutput() {
        out.finish();
    }

    /** Fires when the peer stops reading this end's output (its close() or inputStream().close()). */
    @Override
    public void onPeerAbort(Runnable callback) {
        out.onStopped(Objects.requireNonNull(callback, "callback"));
    }

    @Override
    public void close() {
        out.finish();
        in.stop();
    }

    @Override
    public String toString() {
        return "InMemoryStream[" + id + "]";
    }

    private final class Input extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = in.read(one, 0, 1, readTimeoutNanos);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            return in.read(b, off, len, readTimeoutNanos);
        }

        @Override
        public int available() {
            return in.available();
        }

        @Override
        public void close() {
            in.stop();
        }
    }

    private final class Output extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            out.write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            out.write(b, off, len);
        }

        @Override
        public void close() {
            out.finish();
        }
    }
}
