// SPDX-License-Identifier: Apache-2.0
package quicpool.testkit;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

/** Keeps every record a java.util.logging logger (System.Logger's default back end) publishes to it. */
public final class LogCapture extends Handler {
    private final Queue<LogRecord> records = new ConcurrentLinkedQueue<>();

    /** What was published so far, in order; thread-safe. */
    public Queue<LogRecord> records() {
        return records;
    }

    @Override
    public void publish(LogRecord r) {
        records.add(r);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
