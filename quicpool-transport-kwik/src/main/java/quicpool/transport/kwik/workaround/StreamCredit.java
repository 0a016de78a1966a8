// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik.workaround;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import tech.kwik.core.QuicStream;

/**
 * Opens a bidirectional stream of a Kwik connection on the caller's thread when the peer's stream
 * credit allows one now, without waiting.
 *
 * <p>Why: Kwik 0.10.8's public {@code QuicConnection.createStream(true)} waits up to 10,000 days
 * for credit, even after the connection ended, and turns an interrupt into a bare exception, so
 * the transport runs it on a worker thread while the caller waits, bounded: two thread hand-offs
 * for every stream a pool opens, credit or not. Kwik's stream manager has the same operation with
 * a timeout ({@code StreamManager.createStream(boolean, long, TimeUnit)}); with a timeout of 0 it
 * takes credit only if some is there, and creates the stream as the public method does. The
 * manager is reached through any stream of the connection (its {@code QuicStreamImpl}), in Kwik's
 * stream package: with Kwik on the class path, or on the module path with the same {@code
 * --add-opens} as {@link StrandedFrames}. Without it, {@link #of} gives null and every open takes
 * the worker.
 *
 * <p>Kwik's public method also refuses when its connection is not connected; the caller checks
 * its own view of the connection's end before asking here. Thread-safe, as Kwik's manager is.
 */
public final class StreamCredit {

    private static final System.Logger LOG = System.getLogger("quicpool.transport.kwik");
    private static final String STREAM = "tech.kwik.core.stream.QuicStreamImpl";
    private static final String MANAGER = "tech.kwik.core.stream.StreamManager";
    /** (QuicStreamImpl) -> StreamManager, and (StreamManager, boolean, long, TimeUnit) -> QuicStream; or null. */
    private static final MethodHandle[] HANDLES = handles();
    /** Kwik's message for a wait for credit that was interrupted ({@code StreamManager.createStream}). */
    private static final String INTERRUPTED = "operation interrupted";

    private final Object manager;

    private StreamCredit(Object manager) {
        this.manager = manager;
    }

    /**
     * The credit of the connection of {@code stream}, or null where Kwik's stream package is closed
     * to this module or the stream is not Kwik 0.10.8's (said at DEBUG). Never throws.
     */
    public static StreamCredit of(QuicStream stream) {
        if (HANDLES == null) {
            return null;
        }
        try {
            Object manager = HANDLES[0].invoke(stream);
            return manager == null ? null : new StreamCredit(manager);
        } catch (Throwable e) {
            // not a QuicStreamImpl, or the read failed: every open then takes the worker
            LOG.log(System.Logger.Level.DEBUG, () -> "no stream credit to open streams without a worker: " + e);
            return null;
        }
    }

    /**
     * A new bidirectional stream if the peer's credit allows one now; null if it does not.
     *
     * @throws InterruptedException if the calling thread is interrupted (Kwik reports it as a
     *         timeout with a message of its own, and clears the thread's interrupt)
     */
    public QuicStream tryOpen() throws InterruptedException {
        try {
            return (QuicStream) HANDLES[1].invoke(manager, true, 0L, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            if (INTERRUPTED.equals(e.getMessage())) {
                throw new InterruptedException("interrupted while opening a stream");
            }
            return null; // no credit now
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("Kwik failed to create a stream", e);
        }
    }

    private static MethodHandle[] handles() {
        try {
            ClassLoader kwik = QuicStream.class.getClassLoader();
            Class<?> stream = Class.forName(STREAM, false, kwik);
            Class<?> manager = Class.forName(MANAGER, false, kwik);
            MethodHandle managerOf = MethodHandles.privateLookupIn(stream, MethodHandles.lookup())
                    .findGetter(stream, "streamManager", manager);
            MethodHandle create = MethodHandles.privateLookupIn(manager, MethodHandles.lookup())
                    .findVirtual(manager, "createStream", MethodType.methodType(QuicStream.class, boolean.class,
                            long.class, TimeUnit.class));
            return new MethodHandle[] {managerOf, create};
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // the package is closed to this module (warned once by KwikOutputInternals)
        }
    }
}
