// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik.workaround;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import tech.kwik.core.QuicConnection;

/**
 * The loss-detection timer of one Kwik connection, in place of the scheduler Kwik 0.10.8 gives
 * each connection ({@code RecoveryManager.scheduler}, a thread named "loss-detection").
 *
 * <p>Why: Kwik moves its single loss-detection timeout after every packet it sends and every
 * acknowledgement, by cancelling the scheduled task and scheduling a new one. Its scheduler keeps
 * each cancelled task queued until the task's time, so a busy connection holds thousands of them,
 * each one moved through the queue's heap on every change, and its thread wakes for each of them
 * when its time comes: about a thousand wake-ups a second per busy connection, and 2% of a Kwik
 * echo's CPU in the heap alone (BENCHMARKS.md). Here a change only records the new time; the one
 * wake-up that is queued, on a thread shared by the JVM's connections, is moved only when the new
 * time is earlier. A wake-up that finds its time moved later waits again, so a connection wakes
 * about once per probe timeout, and runs Kwik's timeout when its time has come. Kwik's own
 * timeout handler already checks the time it was scheduled for and schedules itself again if run
 * early, as a cancelled task of its scheduler could.
 *
 * <p>Only what {@code RecoveryManager} uses is served: {@link #schedule(Runnable, long, TimeUnit)}
 * of one task at a time (a new one replaces the pending one, as Kwik cancels it first anyway), the
 * returned future's {@code cancel}, and {@link #shutdown()}. Reaches into Kwik's {@code impl},
 * {@code send} and {@code recovery} packages, and sets a final field of Kwik's: on the class path
 * always, on the module path where those packages are opened to this module; elsewhere {@link
 * #install} leaves Kwik's scheduler in place.
 *
 * <p>Thread-safe.
 */
public final class LossTimer extends AbstractExecutorService implements ScheduledExecutorService {

    private static final System.Logger LOG = System.getLogger("quicpool.transport.kwik");
    private static final ScheduledThreadPoolExecutor WAKER = SharedScheduler.create("quicpool-kwik-loss-timer");
    private static final Handles HANDLES = Handles.find();

    // All guarded by this.
    private Runnable task;
    private long dueNanos;
    private long generation;
    /** The shared thread's wake-up for this timer and its time; null when none is queued. */
    private ScheduledFuture<?> wake;
    private long wakeNanos;
    private long wakeNumber;
    private boolean shutdown;

    LossTimer() {
    }

    /**
     * Puts a timer of this kind in place of the loss-detection scheduler of {@code quic}, moving a
     * timeout already scheduled there, and shuts Kwik's scheduler down (its thread ends). Does
     * nothing where Kwik's internals cannot be reached or the connection's loss detection has
     * stopped.
     */
    public static void install(QuicConnection quic) {
        if (HANDLES == null) {
            return;
        }
        try {
            HANDLES.install(quic);
        } catch (Throwable e) {
            LOG.log(System.Logger.Level.WARNING, "keeping Kwik's loss-detection scheduler for " + quic, e);
        }
    }

    /**
     * Has {@code command} run once {@code delay} has passed, in place of the task pending, if any.
     *
     * @throws RejectedExecutionException after {@link #shutdown()}
     */
    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        Objects.requireNonNull(command, "command");
        long now = System.nanoTime();
        // At most about 146 years ahead, so that the time cannot overflow.
        long due = now + Math.min(Math.max(0, unit.toNanos(delay)), Long.MAX_VALUE >> 2);
        synchronized (this) {
            if (shutdown) {
                throw new RejectedExecutionException("the connection's loss detection has stopped");
            }
            task = command;
            dueNanos = due;
            long number = ++generation;
            if (wake == null || due - wakeNanos < 0) {
                if (wake != null) {
                    wake.cancel(false);
                }
                wakeAt(due, now);
            }
            return new Timeout(this, number, due);
        }
    }

    // Under this.
    private void wakeAt(long due, long now) {
        long number = ++wakeNumber;
        wakeNanos = due;
        wake = WAKER.schedule(() -> wake(number), due - now, TimeUnit.NANOSECONDS);
    }

    /** On the shared thread: runs the pending task if its time has come, else waits again. */
    private void wake(long number) {
        Runnable due;
        synchronized (this) {
            if (number != wakeNumber) {
                return; // replaced by an earlier wake-up, which is queued
            }
            wake = null;
            if (task == null) {
                return;
            }
            long now = System.nanoTime();
            if (dueNanos - now > 0) {
                wakeAt(dueNanos, now);
                return;
            }
            due = task;
            task = null;
        }
        due.run(); // Kwik's handler catches and logs its own exceptions
    }

    // Under this.
    private boolean cancel(long number) {
        if (number != generation || task == null) {
            return false;
        }
        task = null; // a queued wake-up finds nothing to run
        return true;
    }

    // Under this.
    private boolean pending(long number) {
        return number == generation && task != null;
    }

    /** Drops the pending task and the queued wake-up; later {@code schedule} calls are rejected. */
    @Override
    public synchronized void shutdown() {
        shutdown = true;
        task = null;
        if (wake != null) {
            wake.cancel(false);
            wake = null;
        }
    }

    /** As {@link #shutdown()}; returns the task that was pending, if any. */
    @Override
    public List<Runnable> shutdownNow() {
        Runnable dropped;
        synchronized (this) {
            dropped = task;
            shutdown();
        }
        return dropped == null ? List.of() : List.of(dropped);
    }

    @Override
    public synchronized boolean isShutdown() {
        return shutdown;
    }

    /** Same as {@link #isShutdown()}: this has no thread of its own to wait for. */
    @Override
    public boolean isTerminated() {
        return isShutdown();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return isShutdown();
    }

    /** Not served: Kwik's recovery only schedules. */
    @Override
    public void execute(Runnable command) {
        throw new UnsupportedOperationException("a loss-detection timer only schedules one task at a time");
    }

    /** Not served: Kwik's recovery schedules runnables only. */
    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException("a loss-detection timer only schedules one task at a time");
    }

    /** Not served: Kwik's recovery schedules one timeout at a time. */
    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        throw new UnsupportedOperationException("a loss-detection timer only schedules one task at a time");
    }

    /** Not served: Kwik's recovery schedules one timeout at a time. */
    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException("a loss-detection timer only schedules one task at a time");
    }

    /** A scheduled timeout: pending until it runs, is cancelled or is replaced by the next. */
    private static final class Timeout implements ScheduledFuture<Object> {
        private final LossTimer timer;
        private final long number;
        private final long dueNanos;
        private volatile boolean cancelled;

        Timeout(LossTimer timer, long number, long dueNanos) {
            this.timer = timer;
            this.number = number;
            this.dueNanos = dueNanos;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            synchronized (timer) {
                if (timer.cancel(number)) {
                    cancelled = true;
                    return true;
                }
                return false;
            }
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            synchronized (timer) {
                return !timer.pending(number);
            }
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
        }

        /** Not served: Kwik never waits for its timeout. */
        @Override
        public Object get() throws ExecutionException {
            throw new UnsupportedOperationException("a loss-detection timeout cannot be waited for");
        }

        /** Not served: Kwik never waits for its timeout. */
        @Override
        public Object get(long timeout, TimeUnit unit) throws ExecutionException {
            throw new UnsupportedOperationException("a loss-detection timeout cannot be waited for");
        }
    }

    private record Handles(MethodHandle sender, MethodHandle recoveryManager, Field scheduler,
                           MethodHandle scheduleLock, MethodHandle expiration, MethodHandle reschedule,
                           MethodHandle stopped) {

        void install(QuicConnection quic) throws Throwable {
            Object sender = this.sender.invokeExact(quic);
            if (sender == null) {
                return;
            }
            Object manager = recoveryManager.invokeExact(sender);
            LossTimer timer = new LossTimer();
            ScheduledExecutorService kwiks;
            synchronized ((Object) scheduleLock.invokeExact(manager)) {
                kwiks = (ScheduledExecutorService) scheduler.get(manager);
                if (kwiks instanceof LossTimer) {
                    return;
                }
                scheduler.set(manager, timer);
                Instant pending = (Instant) expiration.invokeExact(manager);
                if (pending != null) {
                    // Cancels the task on Kwik's scheduler and schedules it here, under the same lock.
                    reschedule.invokeExact(manager, pending);
                }
            }
            // Kwik's stopRecovery sets its flag, then shuts down the scheduler it finds: either it
            // found this timer, or this sees the flag.
            VarHandle.fullFence();
            if ((boolean) stopped.invokeExact(manager)) {
                timer.shutdown();
            }
            kwiks.shutdown(); // drops its cancelled tasks; its thread ends
        }

        static Handles find() {
            try {
                Class<?> connection = Class.forName("tech.kwik.core.impl.QuicConnectionImpl");
                Class<?> senderClass = Class.forName("tech.kwik.core.send.SenderImpl");
                Class<?> recovery = Class.forName("tech.kwik.core.recovery.RecoveryManager");
                MethodHandles.Lookup inRecovery = MethodHandles.privateLookupIn(recovery, MethodHandles.lookup());
                Field scheduler = recovery.getDeclaredField("scheduler");
                scheduler.setAccessible(true);
                if (scheduler.getType() != ScheduledExecutorService.class) {
                    throw new NoSuchFieldException("RecoveryManager.scheduler is a " + scheduler.getType());
                }
                return new Handles(
                        MethodHandles.privateLookupIn(connection, MethodHandles.lookup())
                                .findVirtual(connection, "getSender", MethodType.methodType(senderClass))
                                .asType(MethodType.methodType(Object.class, QuicConnection.class)),
                        MethodHandles.privateLookupIn(senderClass, MethodHandles.lookup())
                                .findGetter(senderClass, "recoveryManager", recovery)
                                .asType(MethodType.methodType(Object.class, Object.class)),
                        scheduler,
                        inRecovery.findGetter(recovery, "scheduleLock", Object.class)
                                .asType(MethodType.methodType(Object.class, Object.class)),
                        inRecovery.findGetter(recovery, "timerExpiration", Instant.class)
                                .asType(MethodType.methodType(Instant.class, Object.class)),
                        inRecovery.findVirtual(recovery, "rescheduleLossDetectionTimeout",
                                        MethodType.methodType(void.class, Instant.class))
                                .asType(MethodType.methodType(void.class, Object.class, Instant.class)),
                        inRecovery.findGetter(recovery, "hasBeenStopped", boolean.class)
                                .asType(MethodType.methodType(boolean.class, Object.class)));
            } catch (ReflectiveOperationException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> "Kwik connections keep Kwik's loss-detection scheduler:"
                        + " Kwik's packages are not open to quicpool (" + e + ")");
                return null;
            }
        }
    }
}
