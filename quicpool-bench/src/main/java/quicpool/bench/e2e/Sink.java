// SPDX-License-Identifier: Apache-2.0
package quicpool.bench.e2e;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * The one-way bulk workload: the client writes its bytes and half-closes; the server reads to the
 * end and answers with the 8-byte count, so the client knows every byte arrived.
 */
final class Sink {
    static final int CHUNK = 64 * 1024;

    private Sink() {
    }

    /** Server side: reads to the end; answers with the count unless nothing came (a closed handshake-only stream). */
    static long serve(Duplex d) throws IOException {
        byte[] buf = new byte[CHUNK];
        InputStream in = d.in();
        long n = 0;
        for (int r; (r = in.read(buf)) >= 0; ) {
            n += r;
        }
        if (n > 0) {
            OutputStream out = d.out();
            out.write(ByteBuffer.allocate(Long.BYTES).putLong(n).array());
            d.shutdownOutput(); // no flush first: the FIN can then leave with the count
        }
        return n;
    }

    /**
     * Client side: writes {@code bytes} in chunks of {@code payload}, half-closes and waits for the
     * server's count.
     *
     * @throws IOException if the count differs from what was written
     */
    static void send(Duplex d, byte[] payload, long bytes) throws IOException {
        OutputStream out = d.out();
        for (long left = bytes; left > 0; ) {
            int k = (int) Math.min(payload.length, left);
            out.write(payload, 0, k);
            left -= k;
        }
        d.shutdownOutput(); // no flush first: the FIN can then leave with the last bytes
        byte[] ack = d.in().readNBytes(Long.BYTES);
        if (ack.length < Long.BYTES) {
            throw new EOFException("stream ended before the server's byte count (" + ack.length + " of 8 bytes)");
        }
        long got = ByteBuffer.wrap(ack).getLong();
        if (got != bytes) {
            throw new IOException("server counted " + got + " bytes, " + bytes + " were sent");
        }
    }
}
