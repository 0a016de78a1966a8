// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik.workaround;

import java.io.InputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;

/**
 * Reaches the private parts of Kwik 0.10.8's stream input ({@code
 * tech.kwik.core.stream.StreamInputStreamImpl}) that {@link DirectRead} needs: the monitor its
 * receive path notifies when a frame arrives, its receive buffer, the flags that end reading
 * (aborted, closed, reset), the field naming the thread Kwik interrupts when one of them is set,
 * and the two steps its own read takes after taking bytes (widen the flow-control window; note
 * the end of the input).
 *
 * <p>Kwik's module does not open that package, so this works only with Kwik on the class path, or
 * on the module path with {@code --add-opens tech.kwik.core/tech.kwik.core.stream=quicpool.transport.kwik}
 * ({@link KwikOutputInternals} logs the warning naming the flag). {@link #AVAILABLE} is false
 * otherwise, or if this Kwik's stream input is not 0.10.8's; reads then wait on a worker thread.
 * The handles are constants, so the JIT inlines them.
 */
final class KwikInputInternals {

    private static final String INPUT = "tech.kwik.core.stream.StreamInputStreamImpl";
    private static final String RECEIVE_BUFFER = "tech.kwik.core.stream.ReceiveBuffer";

    private static final Class<?> INPUT_CLASS;
    private static final MethodHandle MONITOR;
    private static final MethodHandle RECEIVE_BUFFER_OF;
    private static final MethodHandle BUFFER_READ;
    private static final MethodHandle ABORTED;
    private static final MethodHandle CLOSED;
    private static final MethodHandle RESET;
    private static final MethodHandle SET_INTERRUPTED_READER;
    private static final MethodHandle WIDEN_WINDOW;
    private static final MethodHandle ALL_READ;

    /** Whether the handles below could be made; every other method needs it. */
    static final boolean AVAILABLE;

    static {
        Class<?> input = null;
        MethodHandle monitor = null;
        MethodHandle receiveBuffer = null;
        MethodHandle bufferRead = null;
        MethodHandle aborted = null;
        MethodHandle closed = null;
        MethodHandle reset = null;
        MethodHandle setReader = null;
        MethodHandle widen = null;
        MethodHandle allRead = null;
        boolean available;
        try {
            ClassLoader kwik = tech.kwik.core.QuicStream.class.getClassLoader();
            input = Class.forName(INPUT, false, kwik);
            Class<?> buffer = Class.forName(RECEIVE_BUFFER, false, kwik);
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(input, MethodHandles.lookup());
            monitor = lookup.findGetter(input, "addMonitor", Object.class);
            receiveBuffer = lookup.findGetter(input, "receiveBuffer", buffer);
            bufferRead = lookup.findVirtual(buffer, "read", MethodType.methodType(int.class, ByteBuffer.class));
            aborted = lookup.findGetter(input, "aborted", boolean.class);
            closed = lookup.findGetter(input, "closed", boolean.class);
            reset = lookup.findGetter(input, "reset", boolean.class);
            setReader = lookup.findSetter(input, "blockingReaderThread", Thread.class);
            widen = lookup.findVirtual(input, "updateAllowedFlowControl", MethodType.methodType(void.class, int.class));
            allRead = lookup.findVirtual(input, "allDataRead", MethodType.methodType(void.class));
            available = true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            available = false;
            System.getLogger("quicpool.transport.kwik").log(System.Logger.Level.DEBUG,
                    "Kwik stream reads that wait go through a worker thread: Kwik's stream input is closed to"
                            + " this module or is not Kwik 0.10.8's (" + e + ")");
        }
        INPUT_CLASS = input;
        MONITOR = monitor;
        RECEIVE_BUFFER_OF = receiveBuffer;
        BUFFER_READ = bufferRead;
        ABORTED = aborted;
        CLOSED = closed;
        RESET = reset;
        SET_INTERRUPTED_READER = setReader;
        WIDEN_WINDOW = widen;
        ALL_READ = allRead;
        AVAILABLE = available;
    }

    private KwikInputInternals() {
    }

    /** Whether {@code input} is Kwik's stream input this reaches. */
    static boolean reads(InputStream input) {
        return AVAILABLE && INPUT_CLASS.isInstance(input);
    }

    /** The monitor Kwik's receive path holds while it adds a frame, and notifies after. */
    static Object monitor(InputStream input) {
        try {
            return MONITOR.invoke(input);
        } catch (Throwable e) {
            throw failed(e);
        }
    }

    /** The receive buffer, read only under {@link #monitor}. */
    static Object receiveBuffer(InputStream input) {
        try {
            return RECEIVE_BUFFER_OF.invoke(input);
        } catch (Throwable e) {
            throw failed(e);
        }
    }

    /**
     * Takes the contiguous bytes received into {@code target}: their count, 0 if none are there
     * yet, -1 once everything up to the peer's FIN has been taken. Under {@link #monitor}.
     */
    static int take(Object receiveBuffer, ByteBuffer target) {
        try {
            return (int) BUFFER_READ.invoke(receiveBuffer, target);
        } catch (Throwable e) {
            throw failed(e);
        }
    }

    /**
     * Kwik's steps after its own read took {@code n} bytes: slides the stream's and the
     * connection's flow-control windows, sending MAX_STREAM_DATA when due.
     */
    static void taken(InputStream input, int n) {
        try {
            WIDEN_WINDOW.invoke(input, n);
        } catch (Throwable e) {
            throw failed(e);
        }
    }

    /** Kwik's step after its own read reported the end: the stream's input is done. */
    static void ended(InputStream input) {
        try {
            ALL_READ.invoke(input);
        } catch (Throwable e) {
            throw failed(e);
        }
    }

    /**
     * Whether reading can no longer succeed: the connection aborted the stream, reading was
     * aborted by this end, or the peer reset it. Kwik's own read then throws at once, and says which.
     */
    static boolean readingStopped(InputStream input) {
        try {
            return (boolean) ABORTED.invoke(input) || (boolean) CLOSED.invoke(input) || (boolean) RESET.invoke(input);
        } catch (Throwable e) {
            throw failed(e);
        }
    }

    /**
     * Names the thread Kwik interrupts when it sets one of the flags of {@link #readingStopped}
     * (a volatile write, as Kwik's own read makes).
     */
    static void interruptOnStop(InputStream input, Thread thread) {
        try {
            SET_INTERRUPTED_READER.invoke(input, thread);
        } catch (Throwable e) {
            throw failed(e);
        }
    }

    private static IllegalStateException failed(Throwable e) {
        return new IllegalStateException("reaching Kwik's stream input failed", e);
    }
}
