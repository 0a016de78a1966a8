// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik.workaround;

import java.io.OutputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads the private state of Kwik 0.10.8's stream output ({@code
 * tech.kwik.core.stream.StreamOutputStreamImpl}) that {@link StrandedFrames} needs: its buffer of
 * lost frames waiting to be sent again, its count of queued send requests, the bytes waiting in
 * its send buffer, its offset and the offset at which flow control last held it, whether it is
 * closed, reset or aborted; and calls its method that queues a send request. For {@link SendRoom}
 * also the send buffer's own count of buffered bytes, its capacity and its note of the thread
 * blocked in it.
 *
 * <p>Kwik's module does not open that package, so this works only where the JVM lets it in:
 * with Kwik on the class path, or on the module path with {@code --add-opens
 * tech.kwik.core/tech.kwik.core.stream=quicpool.transport.kwik}. {@link #get()} is empty
 * otherwise, and says why once in the log.
 */
final class KwikOutputInternals {

    private static final String OPEN_FLAG = "--add-opens tech.kwik.core/tech.kwik.core.stream=quicpool.transport.kwik";

    private static final System.Logger LOG = System.getLogger("quicpool.transport.kwik");
    private static final String OUTPUT = "tech.kwik.core.stream.StreamOutputStreamImpl";
    private static final String RETRANSMIT_BUFFER = "tech.kwik.core.stream.RetransmitBuffer";
    private static final String SEND_BUFFER = "tech.kwik.core.stream.SendBuffer";

    private static final Optional<KwikOutputInternals> INSTANCE = open();

    private final Class<?> outputClass;
    private final MethodHandle retransmitBuffer;
    private final MethodHandle hasDataToRetransmit;
    private final MethodHandle sendRequestsQueued;
    private final MethodHandle scheduleSendRequest;
    private final MethodHandle closed;
    private final MethodHandle reset;
    private final MethodHandle aborted;
    private final MethodHandle sendBuffer;
    private final MethodHandle sendBufferEmpty;
    private final MethodHandle sendBufferBytes;
    private final MethodHandle sendBufferCount;
    private final MethodHandle sendBufferCapacity;
    private final MethodHandle sendBufferBlockedWriter;
    private final MethodHandle currentOffset;
    private final MethodHandle blockedOffset;

    private KwikOutputInternals(Class<?> outputClass, MethodHandles.Lookup lookup) throws ReflectiveOperationException {
        this.outputClass = outputClass;
        ClassLoader kwik = outputClass.getClassLoader();
        Class<?> lost = Class.forName(RETRANSMIT_BUFFER, false, kwik);
        this.retransmitBuffer = lookup.findGetter(outputClass, "retransmitBuffer", lost);
        this.hasDataToRetransmit = lookup.findVirtual(lost, "hasDataToRetransmit", MethodType.methodType(boolean.class));
        Class<?> unsent = Class.forName(SEND_BUFFER, false, kwik);
        this.sendBuffer = lookup.findGetter(outputClass, "sendBuffer", unsent);
        this.sendBufferEmpty = lookup.findVirtual(unsent, "isEmpty", MethodType.methodType(boolean.class));
        this.sendBufferBytes = lookup.findVirtual(unsent, "getAvailableBytes", MethodType.methodType(int.class));
        MethodHandles.Lookup inUnsent = MethodHandles.privateLookupIn(unsent, MethodHandles.lookup());
        this.sendBufferCount = inUnsent.findGetter(unsent, "bufferedBytes", AtomicInteger.class);
        this.sendBufferCapacity = inUnsent.findVirtual(unsent, "getMaxSize", MethodType.methodType(int.class));
        this.sendBufferBlockedWriter = inUnsent.findSetter(unsent, "blockingWriterThread", Thread.class);
        this.currentOffset = lookup.findGetter(outputClass, "currentOffset", long.class);
        this.blockedOffset = lookup.findGetter(outputClass, "blockedOffset", long.class);
        this.closed = lookup.findGetter(outputClass, "closed", boolean.class);
        this.reset = lookup.findGetter(outputClass, "reset", boolean.class);
        this.aborted = lookup.findGetter(outputClass, "aborted", boolean.class);
        this.sendRequestsQueued = lookup.findGetter(outputClass, "sendRequestsQueued", AtomicInteger.class);
        this.scheduleSendRequest = lookup.findVirtual(outputClass, "scheduleSendStreamFrameRequest",
                MethodType.methodType(void.class, boolean.class));
    }

    /** The access, or empty where the JVM keeps Kwik's stream package closed (logged once). */
    static Optional<KwikOutputInternals> get() {
        return INSTANCE;
    }

    private static Optional<KwikOutputInternals> open() {
        try {
            Class<?> output = Class.forName(OUTPUT, false, tech.kwik.core.QuicStream.class.getClassLoader());
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(output, MethodHandles.lookup());
            return Optional.of(new KwikOutputInternals(output, lookup));
        } catch (IllegalAccessException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Kwik 0.10.8 can leave a stream's lost frames or written bytes unsent for good; "
                    + "quicpool repairs that only where it may read Kwik's stream output: put Kwik on the class path, "
                    + "or start the JVM with " + OPEN_FLAG + " (which also lets reads wait without a worker thread) ("
                    + e + ")");
            return Optional.empty();
        } catch (ReflectiveOperationException e) {
            LOG.log(System.Logger.Level.WARNING, "this Kwik's stream output is not Kwik 0.10.8's; lost frames Kwik "
                    + "leaves unsent are not repaired (" + e + ")");
            return Optional.empty();
        }
    }

    /** Whether {@code output} is Kwik's stream output this reads. */
    boolean reads(OutputStream output) {
        return outputClass.isInstance(output);
    }

    /**
     * Whether something waits in {@code output} to be sent while no send request is counted: lost
     * frames, or written bytes that flow control does not hold back (Kwik notes the offset at which
     * flow control stopped the output, and queues a request itself when the peer gives credit).
     * That is the state Kwik's send-request race leaves an output in for good, or a moment of a
     * request being queued by another thread. The offsets are the sender thread's, read without
     * synchronization: a stale value costs at most one superfluous request.
     */
    boolean waitsWithoutRequest(OutputStream output) {
        try {
            if (((AtomicInteger) sendRequestsQueued.invoke(output)).get() > 0) {
                return false;
            }
            if ((boolean) hasDataToRetransmit.invoke(retransmitBuffer.invoke(output))) {
                return true;
            }
            return (int) sendBufferBytes.invoke(sendBuffer.invoke(output)) > 0
                    && (long) currentOffset.invoke(output) != (long) blockedOffset.invoke(output);
        } catch (Throwable e) {
            throw new IllegalStateException("reading Kwik's stream output failed", e);
        }
    }

    /**
     * Whether {@code output} has nothing left to send for the first time: closed (or reset), its
     * FIN framed, and no lost frame waiting. Frames still in flight may yet be declared lost.
     */
    boolean finished(OutputStream output) {
        try {
            return ((boolean) closed.invoke(output) || (boolean) reset.invoke(output))
                    && (boolean) sendBufferEmpty.invoke(sendBuffer.invoke(output))
                    && !(boolean) hasDataToRetransmit.invoke(retransmitBuffer.invoke(output));
        } catch (Throwable e) {
            throw new IllegalStateException("reading Kwik's stream output failed", e);
        }
    }

    /**
     * Queues a send request for {@code output} unless one is counted. Race-free only on the
     * connection's sender thread (see {@link SenderThreadActions}).
     */
    void requestSend(OutputStream output) {
        try {
            scheduleSendRequest.invoke(output, true);
        } catch (Throwable e) {
            throw new IllegalStateException("queueing a send request in Kwik's stream output failed", e);
        }
    }

    /** {@code output}'s send buffer (Kwik's {@code SendBuffer}), the same object for its whole life. */
    Object sendBuffer(OutputStream output) {
        try {
            return sendBuffer.invoke(output);
        } catch (Throwable e) {
            throw new IllegalStateException("reading Kwik's stream output failed", e);
        }
    }

    /** The send buffer's count of the bytes it holds, which Kwik lowers as it frames them. */
    AtomicInteger bufferedBytes(Object sendBuffer) {
        try {
            return (AtomicInteger) sendBufferCount.invoke(sendBuffer);
        } catch (Throwable e) {
            throw new IllegalStateException("reading Kwik's send buffer failed", e);
        }
    }

    /** How many bytes the send buffer holds before a write waits for room. */
    int capacity(Object sendBuffer) {
        try {
            return (int) sendBufferCapacity.invoke(sendBuffer);
        } catch (Throwable e) {
            throw new IllegalStateException("reading Kwik's send buffer failed", e);
        }
    }

    /**
     * Names {@code thread} (or nobody, with null) as the writer blocked in {@code sendBuffer}: the
     * thread Kwik interrupts when it resets or aborts the output. A volatile write.
     */
    void blockedWriter(Object sendBuffer, Thread thread) {
        try {
            sendBufferBlockedWriter.invoke(sendBuffer, thread);
        } catch (Throwable e) {
            throw new IllegalStateException("writing Kwik's send buffer failed", e);
        }
    }

    /** Whether {@code output} was reset (the peer's STOP_SENDING) or aborted (its connection ended). */
    boolean refusesWrites(OutputStream output) {
        try {
            return (boolean) reset.invoke(output) || (boolean) aborted.invoke(output);
        } catch (Throwable e) {
            throw new IllegalStateException("reading Kwik's stream output failed", e);
        }
    }
}
