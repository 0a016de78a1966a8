// SPDX-License-Identifier: Apache-2.0
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
        return of(s.inputStream(), s.outputStream(), s::shutdownOutput, s::close);
    }

    static Duplex of(TransportStream s) {
        return of(s.inputStream(), s.outputStream(), s::shutdownOutput, s::close);
    }

    /** An action that may fail with an {@link IOException}. */
    interface IoAction {
        void run() throws IOException;
    }

    private static Duplex of(InputStream in, OutputStream out, IoAction shutdownOutput, Runnable close) {
        return new Duplex() {
            @Override
            public InputStream in() {
                return in;
            }

            @Override
            public OutputStream out() {
                return out;
            }

            @Override
            public void shutdownOutput() throws IOException {
                shutdownOutput.run();
            }

            @Override
            public void close() {
                close.run();
            }
        };
    }
}
