// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A Kwik stream's output: hands bytes to Kwik in chunks that fit one QUIC frame, and sends FIN
 * exactly once, whichever thread asks (Kwik's own close is meant for the writing thread only).
 *
 * <p>Why chunks: Kwik 0.10.8 (and its master branch) counts a stream's queued send requests with
 * a check-then-act. A write queues a request and counts it only afterwards; when the sender
 * thread serves the request in between (it often does on a busy machine: waking the sender
 * preempts the writer) and the request cannot send all buffered bytes in one frame, the sender
 * believes no request is counted, queues none for the rest, and the rest waits for the stream's
 * next write; a writer blocked on Kwik's full send buffer then waits forever. Measured on loopback
 * on a loaded 2-CPU machine: 5 of 40 one-MiB echoes hung with 25 KiB writes (Kwik's own split),
 * 0 of 120 with 1 KiB chunks, because a chunk that fits one frame leaves nothing behind. Frames
 * shrunk by other frames sharing a packet, and the flow-control path that resumes a blocked
 * stream, can still meet the race: rarer, not impossible.
 *
 * <p>Zero-length writes are dropped: Kwik queues an empty buffer for them, which, left in front
 * of the end-of-stream marker, keeps FIN from ever being sent.
 */
final class FinOutputStream extends OutputStream {

    /** Fits one QUIC frame: packets carry about 1,200 bytes of frames on IPv4 and IPv6. */
    static final int CHUNK = 1024;

    private final OutputStream sink;
    private final AtomicBoolean finSent = new AtomicBoolean();

    FinOutputStream(OutputStream sink) {
        this.sink = sink;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return;
        }
        if (finSent.get()) {
            throw new IOException("output already closed (FIN sent)");
        }
        for (int done = 0; done < len; ) {
            int n = Math.min(CHUNK, len - done);
            sink.write(b, off + done, n);
            done += n;
        }
    }

    @Override
    public void flush() {
        // Kwik sends written bytes as soon as flow control allows; nothing is held back.
    }

    /** Sends FIN after the bytes already written. Idempotent. */
    @Override
    public void close() throws IOException {
        if (finSent.compareAndSet(false, true)) {
            sink.close();
        }
    }
}
