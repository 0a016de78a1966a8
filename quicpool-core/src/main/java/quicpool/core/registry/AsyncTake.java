// SPDX-License-Identifier: Apache-2.0
package quicpool.core.registry;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import quicpool.api.StreamConn;
import quicpool.core.stream.PooledStream;

/**
 * A take that waits without a thread: the future its caller holds, and its entry among the
 * registry's waiters. Whoever completes it first decides its outcome: a registration delivering a
 * stream, a timeout, a cancel, the registry's close. A stream taken for it that it no longer
 * accepts goes back into the registry, so a take that ends otherwise loses no stream.
 *
 * <p>{@link #cancel(boolean) Cancelling} it also takes it off the registry's waiters at once;
 * a take completed any other way by its holder is taken off by the next registration that meets
 * it, or by whoever times it out. Thread-safe, as a {@link CompletableFuture}.
 */
public abstract class AsyncTake extends CompletableFuture<StreamConn> {
    private static final VarHandle LISTED;

    static {
        try {
            LISTED = MethodHandles.lookup().findVarHandle(AsyncTake.class, "listed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final StreamRegistry registry;
    /** The canonical ID waited for, or null for any stream. */
    final String id;
    /** True from the moment the registry lists this take until the one caller of {@link #unlist()}. */
    @SuppressWarnings("unused") // through LISTED
    private volatile boolean listed;

    /** @param id the canonical ID to wait for, or null for any stream */
    protected AsyncTake(StreamRegistry registry, String id) {
        this.registry = registry;
        this.id = id;
    }

    /**
     * Called once, on the thread that delivered it, after this take completed with {@code s}. The
     * future's dependent actions without an executor have run by then.
     */
    protected abstract void delivered(PooledStream s);

    /** Called once if {@link #cancel(boolean)} completed this take. */
    protected abstract void cancelled();

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        if (cancelled) {
            registry.abandon(this);
            cancelled();
        }
        return cancelled;
    }

    void list() {
        listed = true;
    }

    /** True for exactly one caller once listed: the one that takes this take off the waiters. */
    boolean unlist() {
        return LISTED.compareAndSet(this, true, false);
    }
}
