// SPDX-License-Identifier: Apache-2.0
package quicpool.core.pool;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * A JFR recording of every {@code jdk.VirtualThreadPinned} event (threshold 0, with stack
 * traces), read back once it is stopped: which virtual threads parked while pinned to their
 * carrier, and where.
 */
final class PinnedEvents implements AutoCloseable {
    static final String EVENT = "jdk.VirtualThreadPinned";
    /** Where the JVM calls into Java to link a call site (see {@link #stopAndFindOurs()}). */
    private static final String LINKAGE_UPCALLS = "java.lang.invoke.MethodHandleNatives";

    private final Recording recording = new Recording();
    private final Path file;

    /** Starts recording; {@link #stopAndFindOurs()} writes the recording to {@code file}. */
    PinnedEvents(Path file) {
        this.file = file;
        recording.enable(EVENT).withThreshold(Duration.ZERO).withStackTrace();
        recording.start();
    }

    /**
     * Stops recording and returns the events pinned in quicpool's code: those whose innermost
     * {@code quicpool.} frame is not the test's own code ({@link VirtualThreadGetsTest}'s methods and
     * lambdas, such as its threads' wait for the start signal), since a pin there is the JDK's or the
     * test's, not the pool's; and whose frames above it hold no call of the JVM into
     * {@code java.lang.invoke.MethodHandleNatives}. The JVM makes that call once per call site, when it
     * links one (a {@code VarHandle} or method-handle call, such as {@code LongAdder}'s first
     * contended add in the JVM), with a native frame under it that no virtual thread can unmount
     * past: a lock the JDK takes there pins whatever code reached the call site.
     */
    List<RecordedEvent> stopAndFindOurs() throws IOException {
        recording.stop();
        recording.dump(file);
        return RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals(EVENT) && inOurCode(e))
                .collect(Collectors.toList());
    }

    private static boolean inOurCode(RecordedEvent e) {
        if (e.getStackTrace() == null) {
            return false;
        }
        for (RecordedFrame f : e.getStackTrace().getFrames()) {
            String type = f.getMethod().getType().getName();
            if (type.equals(LINKAGE_UPCALLS)) {
                return false;
            }
            if (type.startsWith("quicpool.")) {
                return !type.equals(VirtualThreadGetsTest.class.getName());
            }
        }
        return false;
    }

    /** An event's stack, one frame a line, for a failure message. */
    static String describe(RecordedEvent e) {
        StringBuilder b = new StringBuilder(EVENT).append(" for ").append(e.getDuration().toMillis()).append(" ms:");
        for (RecordedFrame f : e.getStackTrace().getFrames()) {
            b.append("\n    at ").append(f.getMethod().getType().getName()).append('.')
                    .append(f.getMethod().getName()).append(" line ").append(f.getLineNumber());
        }
        return b.toString();
    }

    @Override
    public void close() {
        recording.close();
    }
}
