// SPDX-License-Identifier: Apache-2.0
package quicpool.bench;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;

/**
 * A stream that carries no bytes. Like a real transport it keeps the peer-abort callback the pool
 * registers, so the allocation of that callback is counted and not optimised away.
 */
final class StubStream implements quicpool.api.spi.TransportStream {
    private static final OutputStream NO_OUTPUT = OutputStream.nullOutputStream();
    private static final InputStream NO_INPUT = InputStream.nullInputStream();

    private Runnable onPeerAbort;

    @Override
    public long streamId() {
        return 0;
    }

    @Override
    public InputStream inputStream() {
        return NO_INPUT;
    }

    @Override
    public OutputStream outputStream() {
        return NO_OUTPUT;
    }

    @Override
    public void setReadTimeout(Duration timeout) {
    }

    @Override
    public void shutdownOutput() {
    }

    @Override
    public void onPeerAbort(Runnable callback) {
        onPeerAbort = callback;
    }

    /** The callback the pool registered, if any (keeps the field alive for the JIT). */
    Runnable peerAbortCallback() {
        return onPeerAbort;
    }

    @Override
    public void close() {
    }
}
