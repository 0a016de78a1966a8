// SPDX-License-Identifier: Apache-2.0
package quicpool.compliance;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * What the process holds at one moment: its threads and (on Linux) its open file descriptors;
 * and a bounded wait for both to fall back to such a baseline.
 */
public final class ProcessResources {
    private static final File FD_DIR = new File("/proc/self/fd");

    private final Set<Thread> threads;
    private final int fds;

    private ProcessResources(Set<Thread> threads, int fds) {
        this.threads = threads;
        this.fds = fds;
    }

    public static ProcessResources snapshot() {
        return new ProcessResources(Set.copyOf(Thread.getAllStackTraces().keySet()), openFds());
    }

    /** Whether descriptors can be counted here ({@code /proc/self/fd}, Linux). */
    public static boolean fdsCountable() {
        return FD_DIR.isDirectory();
    }

    /** Open file descriptors of this process, or -1 where they cannot be counted. */
    public static int openFds() {
        String[] entries = FD_DIR.list();
        // listing the directory opens one descriptor of its own, counted in the entries
        return entries == null ? -1 : entries.length - 1;
    }

    /** Heap in use after asking for a full collection a few times, in bytes. */
    public static long heapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    public int threadCount() {
        return threads.size();
    }

    public int fds() {
        return fds;
    }

    /** Live threads that match {@code which} and were not alive at this snapshot. */
    public List<Thread> newThreads(Predicate<Thread> which) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !threads.contains(t) && which.test(t))
                .collect(Collectors.toList());
    }

    /**
     * Waits until no thread matching {@code which} started since this snapshot is alive, and
     * (where countable) the descriptors are back to this snapshot's count.
     *
     * @throws AssertionError naming the threads left and the descriptor counts when the bound passes
     */
    public void awaitBackToThis(Predicate<Thread> which, Duration bound) {
        Conditions.await("threads and file descriptors back to the baseline (" + threadCount() + " threads, "
                        + fds + " fds)", bound,
                () -> newThreads(which).isEmpty() && (fds < 0 || openFds() <= fds),
                () -> "threads left " + names(newThreads(which)) + ", fds now " + openFds() + fdList());
    }

    private static String fdList() {
        if (!fdsCountable()) {
            return "";
        }
        File[] entries = FD_DIR.listFiles();
        if (entries == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(": ");
        for (File f : entries) {
            try {
                b.append(f.getName()).append("->").append(java.nio.file.Files.readSymbolicLink(f.toPath())).append(' ');
            } catch (java.io.IOException | RuntimeException e) {
                b.append(f.getName()).append("->?").append(' ');
            }
        }
        return b.toString();
    }

    public static String names(List<Thread> threads) {
        return threads.stream().map(Thread::getName).sorted().collect(Collectors.joining(", ", "[", "]"));
    }

    /** The live threads counted by name with trailing digits dropped, largest group first: {@code {quicpool-kwik-worker-=12, ...}}. */
    public static String threadCensus() {
        return Thread.getAllStackTraces().keySet().stream()
                .collect(Collectors.groupingBy(t -> t.getName().replaceAll("[0-9]+$", ""), Collectors.counting()))
                .entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", ", "{", "}"));
    }
}
