// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik.workaround;

import java.io.InputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;

/**
 * Reads a Kwik stream on the caller's thread, waiting where Kwik's own read waits, but bounded,
 * interruptible and without Kwik ever interrupting the caller.
 *
 * <p>Kwik 0.10.8's {@code StreamInputStreamImpl.read} waits on a monitor that its receive path
 * notifies per frame, but with one read timeout for the whole JVM, ignoring interrupts, and it
 * interrupts the reading thread when the stream is reset or aborted, an interrupt that can reach
 * the thread after its read has returned. Handing each wait to a worker thread avoids all that but
 * costs two thread hand-offs per wait (about a fifth of a Kwik echo's wall time on this machine, see
 * BENCHMARKS.md). This takes the same steps as Kwik's read ({@link KwikInputInternals}): under
 * that monitor it takes what the receive buffer holds and widens the flow-control windows, and
 * otherwise waits there, for the caller's time bound. Kwik is told to interrupt a stand-in
 * instead of the caller: an unstarted thread whose {@code interrupt()} has the monitor notified,
 * from a worker thread, since Kwik may hold its own locks when it interrupts.
 *
 * <p>Thread-safe: concurrent readers of one stream take bytes one at a time, under the monitor.
 */
public final class DirectRead {

    /** {@link #read} ran out of time with nothing received. */
    public static final int TIMED_OUT = -2;
    /** {@link #read} saw its {@code stopped} condition. */
    public static final int STOPPED = -3;
    /** Reading can no longer succeed (reset, aborted, connection ended): Kwik's read says why. */
    public static final int READING_STOPPED = -4;

    private static final int JAVA_FEATURE = Runtime.version().feature();
    /** Whether even a virtual thread may wait in Kwik's monitor here: then no read asks its thread. */
    private static final boolean ANY_THREAD_SUITS = suits(JAVA_FEATURE, true);
    private static final MethodHandle IS_VIRTUAL = isVirtualHandle();

    private final InputStream input;
    private final Object monitor;
    private final Object receiveBuffer;
    private final Executor wakers;
    /** Reads waiting on the monitor; changed under it, read by {@link #wake()} without it. */
    private volatile int waiters;
    private Thread standIn; // made by the first wait, under monitor

    private DirectRead(InputStream input, Executor wakers) {
        this.input = input;
        this.monitor = KwikInputInternals.monitor(input);
        this.receiveBuffer = KwikInputInternals.receiveBuffer(input);
        this.wakers = wakers;
    }

    /**
     * A direct reader of {@code kwikInput}, or null where it cannot be had (Kwik's stream package
     * closed to this module, or not Kwik 0.10.8's input).
     *
     * @param wakers runs the notification that wakes a waiting read when Kwik stops the stream
     */
    public static DirectRead of(InputStream kwikInput, Executor wakers) {
        return KwikInputInternals.reads(kwikInput) ? new DirectRead(kwikInput, wakers) : null;
    }

    /**
     * Whether the calling thread may wait here: not a virtual thread before Java 24, where a wait
     * inside a monitor would pin its carrier thread for as long as it waits.
     */
    public static boolean suitsCurrentThread() {
        if (ANY_THREAD_SUITS || IS_VIRTUAL == null) {
            return true; // Java 24+, or before Java 21: no virtual threads
        }
        try {
            return suits(JAVA_FEATURE, (boolean) IS_VIRTUAL.invokeExact(Thread.currentThread()));
        } catch (Throwable e) {
            throw new IllegalStateException("Thread.isVirtual failed", e);
        }
    }

    /** Whether a thread may wait inside Kwik's monitor on a JDK of this feature release. */
    static boolean suits(int javaFeature, boolean virtualThread) {
        return !virtualThread || javaFeature >= 24;
    }

    /**
     * Reads at least one byte, waiting for one for at most {@code timeoutNanos} (0: no bound).
     *
     * @param stopped checked before each wait; a {@link #wake()} makes a waiting read check it
     * @return the number of bytes read, -1 at the end of the input (the peer's FIN), or {@link
     *         #TIMED_OUT}, {@link #STOPPED}, {@link #READING_STOPPED}
     * @throws InterruptedException if the caller is interrupted while waiting
     */
    public int read(byte[] b, int off, int len, long timeoutNanos, BooleanSupplier stopped)
            throws InterruptedException {
        long start = timeoutNanos == 0 ? 0 : System.nanoTime();
        ByteBuffer target = ByteBuffer.wrap(b, off, len);
        synchronized (monitor) {
            while (true) {
                if (KwikInputInternals.readingStopped(input)) {
                    return READING_STOPPED;
                }
                int n = KwikInputInternals.take(receiveBuffer, target);
                if (n > 0) {
                    KwikInputInternals.taken(input, n);
                    return n;
                }
                if (n < 0) {
                    KwikInputInternals.ended(input);
                    return -1;
                }
                if (stopped.getAsBoolean()) {
                    return STOPPED;
                }
                long left = 0;
                if (timeoutNanos != 0) {
                    left = timeoutNanos - (System.nanoTime() - start);
                    if (left <= 0) {
                        return TIMED_OUT;
                    }
                }
                awaitFrame(left, stopped); // then look again: bytes, the end, a flag, the time
            }
        }
    }

    /** Waits under the monitor, unless reading stopped or {@code stopped} holds by then. */
    private void awaitFrame(long nanos, BooleanSupplier stopped) throws InterruptedException {
        if (standIn == null) {
            standIn = new StandIn("quicpool-kwik-read-stand-in", this::wake);
        }
        // Kwik sets a flag, then interrupts the thread it reads here; this names the stand-in, then
        // reads the flags: either Kwik sees the stand-in, or this sees the flag. Likewise a close
        // sets the condition behind stopped, then wake() reads waiters; this counts itself among
        // the waiters, then reads the condition.
        KwikInputInternals.interruptOnStop(input, standIn);
        waiters++;
        try {
            if (KwikInputInternals.readingStopped(input) || stopped.getAsBoolean()) {
                return;
            }
            if (nanos == 0) {
                monitor.wait();
            } else {
                monitor.wait(nanos / 1_000_000, (int) (nanos % 1_000_000));
            }
        } finally {
            waiters--;
        }
    }

    /**
     * Has a waiting read woken, to check its {@code stopped} condition and Kwik's flags. The
     * monitor is notified from a worker thread, never from the caller, who may hold locks of Kwik's
     * (a close run from Kwik's own thread); does nothing when no read waits.
     */
    public void wake() {
        if (waiters == 0) {
            return; // a read that has yet to wait checks both first
        }
        try {
            wakers.execute(this::notifyWaiting);
        } catch (RejectedExecutionException e) {
            notifyWaiting();
        }
    }

    private void notifyWaiting() {
        synchronized (monitor) {
            monitor.notifyAll();
        }
    }

    private static MethodHandle isVirtualHandle() {
        try {
            return MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual",
                    MethodType.methodType(boolean.class));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return null; // before Java 21: no virtual threads
        }
    }
}
