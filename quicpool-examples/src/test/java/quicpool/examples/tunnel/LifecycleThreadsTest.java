// SPDX-License-Identifier: Apache-2.0
package quicpool.examples.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The tunnel's threads: virtual where the running Java has them, named, and ended by shutdown. */
@Timeout(10)
class LifecycleThreadsTest {

    @Test
    void tasksRunOnNamedThreadsThatAreVirtualFromJava21() throws Exception {
        ExecutorService threads = Lifecycle.threads("relay");
        try {
            CompletableFuture<Thread> ran = new CompletableFuture<>();
            threads.execute(() -> ran.complete(Thread.currentThread()));
            Thread t = ran.get(5, TimeUnit.SECONDS);

            assertThat(t.getName()).startsWith("relay-");
            assertThat(t.isDaemon()).isTrue();
            assertThat(isVirtual(t)).isEqualTo(Runtime.version().feature() >= 21);
        } finally {
            Lifecycle.shutdown(threads);
        }
        assertThat(threads.isTerminated()).isTrue();
    }

    @Test
    void shutdownInterruptsAParkedTaskAndWaitsForItsEnd() throws Exception {
        ExecutorService threads = Lifecycle.threads("relay");
        CompletableFuture<Boolean> interrupted = new CompletableFuture<>();
        CompletableFuture<Void> started = new CompletableFuture<>();
        threads.execute(() -> {
            started.complete(null);
            try {
                new CompletableFuture<Void>().get(30, TimeUnit.SECONDS);
                interrupted.complete(false);
            } catch (InterruptedException e) {
                interrupted.complete(true);
            } catch (Exception e) {
                interrupted.completeExceptionally(e);
            }
        });
        started.get(5, TimeUnit.SECONDS);

        Lifecycle.shutdown(threads);

        assertThat(threads.isTerminated()).isTrue();
        assertThat(interrupted).isCompletedWithValue(true);
    }

    private static boolean isVirtual(Thread t) throws ReflectiveOperationException {
        if (Runtime.version().feature() < 21) {
            return false; // Thread.isVirtual() does not exist
        }
        Method isVirtual = Thread.class.getMethod("isVirtual");
        return (boolean) isVirtual.invoke(t);
    }
}
