// SPDX-License-Identifier: Apache-2.0
package quicpool.examples.tunnel;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** The current control channel of one tunnel end, or none; others can wait for one. */
final class ControlSlot {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private Control current; // guarded by lock
    private boolean closed; // guarded by lock

    /** The current control channel, or {@code null}. */
    Control get() {
        lock.lock();
        try {
            return current;
        } finally {
            lock.unlock();
        }
    }

    /** Makes {@code control} the current channel and closes the one it replaces. */
    void set(Control control) {
        Control previous;
        lock.lock();
        try {
            if (closed) {
                previous = control; // too late: close the newcomer instead
            } else {
                previous = current;
                current = control;
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
        if (previous != null) {
            previous.close();
        }
    }

    /** Closes {@code control} and, if it is still the current channel, empties the slot. */
    void drop(Control control) {
        lock.lock();
        try {
            if (current == control) {
                current = null;
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
        control.close();
    }

    /** Waits up to {@code bound} for a channel; false if none came or the slot was closed. */
    boolean await(Duration bound) throws InterruptedException {
        long nanos = bound.toNanos();
        lock.lock();
        try {
            while (current == null) {
                if (nanos <= 0 || closed) {
                    return false;
                }
                nanos = changed.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Closes the current channel and refuses later ones; wakes every waiter. */
    void close() {
        Control last;
        lock.lock();
        try {
            closed = true;
            last = current;
            current = null;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (last != null) {
            last.close();
        }
    }
}
