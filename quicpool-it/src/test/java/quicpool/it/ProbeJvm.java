// SPDX-License-Identifier: Apache-2.0
package quicpool.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Launches {@link TransportProbe} in a JVM of its own, the way a user starts an application:
 * {@code java [options] --module-path ... --module quicpool.it/quicpool.it.TransportProbe}. The
 * quicpool logger is set to DEBUG (JUL's FINE) so that the output shows the transport choice, one
 * timestamped line per record so that a slow run shows where its time went.
 */
final class ProbeJvm {
    private static final long BOUND_SECONDS = 90;
    private static final String LOGGING = String.join("\n",
            "handlers = java.util.logging.ConsoleHandler",
            "java.util.logging.ConsoleHandler.level = FINE",
            "quicpool.level = FINE",
            "quicpool.core.level = INFO",
            "quicpool.transport.level = INFO",
            "java.util.logging.SimpleFormatter.format = %1$tT.%1$tL %4$s %3$s: %5$s%6$s%n",
            "");

    private final Path work;
    private final Path cert;
    private final Path key;
    private final Path logging;

    /** Writes into {@code work} the logging configuration; {@code pemDir} holds cert.pem and key.pem. */
    ProbeJvm(Path work, Path pemDir) throws IOException {
        this.work = work;
        this.cert = pemDir.resolve("cert.pem");
        this.key = pemDir.resolve("key.pem");
        this.logging = Files.writeString(work.resolve("logging.properties"), LOGGING, StandardCharsets.UTF_8);
    }

    /** Runs the probe on {@code path} with these JVM options; fails if it does not end within 90 s. */
    ProbeRun run(ModulePath path, String... jvmOptions) throws IOException, InterruptedException {
        return launch(List.of("--module-path", path.argument(),
                "--module", ModulePaths.PROBE + "/" + TransportProbe.class.getName()), jvmOptions);
    }

    /** Runs the probe with the same jars on the class path instead: no module is resolved. */
    ProbeRun runOnClassPath(ModulePath path, String... jvmOptions) throws IOException, InterruptedException {
        return launch(List.of("-cp", path.argument(), TransportProbe.class.getName()), jvmOptions);
    }

    private ProbeRun launch(List<String> launch, String... jvmOptions) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Djava.util.logging.config.file=" + logging);
        command.addAll(List.of(jvmOptions));
        command.addAll(launch);
        command.add(cert.toString());
        command.add(key.toString());
        // Output to a file, not a pipe: nothing to drain while waiting, and a hung JVM cannot block us.
        Path out = Files.createTempFile(work, "probe", ".out");
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            boolean ended = p.waitFor(BOUND_SECONDS, TimeUnit.SECONDS);
            ProbeRun run = new ProbeRun(command, ended ? p.exitValue() : -1, Duration.ofNanos(System.nanoTime() - t0),
                    Files.readString(out));
            if (!ended) {
                throw new AssertionError("the probe JVM did not end within " + BOUND_SECONDS + " s: " + run);
            }
            return run;
        } finally {
            if (p.isAlive()) { // timed out, or this test was interrupted
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
