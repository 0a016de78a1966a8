package quicpool.bench.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import quicpool.api.StreamConn;
import quicpool.api.spi.TransportStream;

/** One end of a stream as the workloads see it: a pooled {@link StreamConn} or a raw {@link TransportStream}. */
interface Duplex extends AutoCloseable {
    InputStream in();

    OutputStream out();

    /** Sends FIN after the bytes written. */
    void shutdownOutput() throws IOException;

    @Override
    void close();

    static Duplex of(StreamConn s) {
        return new Duplex() {
            @Override
            public InputStream in() {
                return s.inputStream();
            }

            @Override
            public OutputStream out() {
                return s.outputStream();
            }

            @Override
            public void shutdownOutput() throws IOException {
                s.shutdownOutput();
            }

            @Override
            public void close() {
                s.close();
            }
        };
    }

    static Duplex of(TransportStream s) {
        return new Duplex() {
            @Override
            public InputStream in() {
                return s.inputStream();
            }

            @Override
            public OutputStream out() {
                return s.outputStream();
            }

            @Override
            public void shutdownOutput() throws IOException {
                s.shutdownOutput();
            }

            @Override
            public void close() {
                s.close();
            }
        };
    }
}
