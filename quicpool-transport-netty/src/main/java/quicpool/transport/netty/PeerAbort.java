// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.netty;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The callbacks of {@link quicpool.api.spi.TransportStream#onPeerAbort}: run once when the peer
 * resets its side of the stream (RESET_STREAM, seen when reading) or stops ours (STOP_SENDING,
 * which Netty reveals only to a write).
 */
final class PeerAbort {

    private static final System.Logger LOG = System.getLogger("quicpool.transport.netty.PeerAbort");

    private final ReentrantLock lock = new ReentrantLock();
    private final List<Runnable> callbacks = new ArrayList<>();
    private boolean happened;

    void onAbort(Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        lock.lock();
        try {
            if (!happened) {
                callbacks.add(callback);
                return;
            }
        } finally {
            lock.unlock();
        }
        run(callback);
    }

    /** The peer abandoned the stream; the first call runs the callbacks. */
    void happened() {
        List<Runnable> toRun;
        lock.lock();
        try {
            if (happened) {
                return;
            }
            happened = true;
            toRun = new ArrayList<>(callbacks);
            callbacks.clear();
        } finally {
            lock.unlock();
        }
        toRun.forEach(PeerAbort::run);
    }

    private static void run(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException | Error e) {
            LOG.log(Level.WARNING, "a peer-abort callback failed", e);
        }
    }
}
