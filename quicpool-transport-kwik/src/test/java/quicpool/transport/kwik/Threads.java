// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** The threads alive at one moment, and a bounded wait for every later thread to end. */
final class Threads {

    private final Set<Thread> before;

    private Threads(Set<Thread> before) {
        this.before = before;
    }

    static Threads snapshot() {
        return new Threads(Thread.getAllStackTraces().keySet());
    }

    /** Threads started since the snapshot and still alive. */
    List<Thread> started() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t) && t.isAlive())
                .collect(Collectors.toList());
    }

    /**
     * Joins every thread started since the snapshot, all within {@code bound}.
     *
     * @return the threads still alive when the time ran out (empty when all ended)
     */
    List<Thread> awaitStartedEnded(Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        // New threads may start while others end (Kwik's last timer tasks): look again until none is left.
        while (true) {
            List<Thread> alive = started();
            if (alive.isEmpty()) {
                return alive;
            }
            for (Thread t : alive) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return started();
                }
                t.join(Math.max(1, left / 1_000_000));
            }
        }
    }

    static String describe(List<Thread> threads) {
        return threads.stream().map(Thread::getName).sorted().collect(Collectors.joining(", ", "[", "]"));
    }
}
