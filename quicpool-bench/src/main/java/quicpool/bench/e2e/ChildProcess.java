// SPDX-License-Identifier: Apache-2.0
package quicpool.bench.e2e;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A peer process of {@link ProcessPairs} or {@link TunnelLatency}: its standard output read line by line on a daemon
 * thread, its standard error passed through (each line prefixed with its name, the last lines
 * kept for the failure message), its standard input held open (the peers run with
 * {@code --stdin-watch} and end when it closes, so none outlives the launcher). Every child still
 * running when the launcher's JVM exits is killed by a shutdown hook.
 */
final class ChildProcess implements AutoCloseable {
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
    private static final String END = new String("end of output"); // compared by identity
    private static final int LAST_ERRORS = 5;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
                "peer-process-reaper"));
    }

    private final String name;
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Deque<String> lastErrors = new ArrayDeque<>();
    private final Thread errors;

    private ChildProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        Thread reader = new Thread(this::readLines, name + "-stdout");
        reader.setDaemon(true);
        reader.start();
        errors = new Thread(this::passErrors, name + "-stderr");
        errors.setDaemon(true);
        errors.start();
    }

    /**
     * Starts {@code command}.
     *
     * @throws IOException if it cannot be started (its message names the command)
     */
    static ChildProcess start(String name, List<String> command) throws IOException {
        return start(name, command, Map.of());
    }

    /**
     * Starts {@code command} with {@code environment} added to this process's environment (how a
     * secret reaches a child without showing on its command line).
     *
     * @throws IOException if it cannot be started (its message names the command)
     */
    static ChildProcess start(String name, List<String> command, Map<String, String> environment)
            throws IOException {
        Process p;
        try {
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().putAll(environment);
            p = builder.start();
        } catch (IOException e) {
            throw new IOException(name + ": cannot start " + command + ": " + e.getMessage(), e);
        }
        LIVE.add(p);
        return new ChildProcess(name, p);
    }

    /** {@link #java(Class, String)} for a child named after {@code main}'s simple name. */
    static List<String> java(Class<?> main) {
        return java(main, main.getSimpleName());
    }

    /**
     * This JVM's java launcher running {@code main} on this JVM's class path, and its module path
     * too when it has one (a test run by Surefire): every JAR declares its services in {@code
     * META-INF/services} as well, so the transports are found on the class path. The JVM options
     * of {@link ChildJvmArgs} come first, for the child named {@code name}.
     */
    static List<String> java(Class<?> main, String name) {
        String javaBin = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String classPath = System.getProperty("java.class.path", "");
        String modulePath = System.getProperty("jdk.module.path", "");
        if (!modulePath.isEmpty()) {
            classPath = classPath.isEmpty() ? modulePath : modulePath + File.pathSeparator + classPath;
        }
        List<String> command = new ArrayList<>();
        command.add(javaBin);
        command.addAll(ChildJvmArgs.forChild(name));
        command.addAll(List.of("-cp", classPath, main.getName()));
        return command;
    }

    private void readLines() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                lines.add(line);
            }
        } catch (IOException e) {
            lines.add(name + ": reading its output failed: " + e);
        } finally {
            lines.add(END);
        }
    }

    private void passErrors() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                System.err.println(name + ": " + line);
                if (line.startsWith("\t") || line.startsWith(" ")) {
                    continue; // stack frames: the failure message keeps the exception lines
                }
                synchronized (lastErrors) {
                    lastErrors.addLast(line);
                    if (lastErrors.size() > LAST_ERRORS) {
                        lastErrors.removeFirst();
                    }
                }
            }
        } catch (IOException e) {
            System.err.println(name + ": reading its standard error failed: " + e);
        }
    }

    /**
     * The last lines (up to 5, stack frames left out) it wrote on standard error, joined with
     * " / ", or "(nothing)"; once it has exited, all it wrote (waits up to 5 s for the pipe's end).
     */
    String lastErrors() throws InterruptedException {
        if (!process.isAlive()) {
            errors.join(5_000);
        }
        synchronized (lastErrors) {
            return lastErrors.isEmpty() ? "(nothing)" : String.join(" / ", lastErrors);
        }
    }

    /**
     * The next line of standard output that starts with {@code prefix}, or {@code null} once the
     * output ended; other lines go to standard error.
     *
     * @throws IllegalStateException naming the process if none comes within {@code timeout}
     */
    String awaitLine(String prefix, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new IllegalStateException(name + " printed no \"" + prefix.trim() + "\" line within " + timeout);
            }
            if (line == END) {
                lines.add(END);
                return null;
            }
            if (line.startsWith(prefix)) {
                return line;
            }
            System.err.println(name + ": " + line);
        }
    }

    /** The name it was started with. */
    String name() {
        return name;
    }

    /** The CPU time the process has used so far (user and system), if the platform reports it. */
    Optional<Duration> cpuTime() {
        return process.toHandle().info().totalCpuDuration();
    }

    /**
     * Waits up to {@code timeout} for the process to exit by itself.
     *
     * @return its exit status
     * @throws IllegalStateException naming the process if it is still running then
     */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            throw new IllegalStateException(name + " still running after " + timeout);
        }
        return process.exitValue();
    }

    /** Closes its standard input (it ends by itself), then destroys it if it has not ended within 10 s. */
    @Override
    public void close() throws InterruptedException {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // a pipe already broken: the process is gone or is destroyed below
        }
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        LIVE.remove(process);
    }
}
