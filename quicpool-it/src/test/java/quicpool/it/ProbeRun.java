// SPDX-License-Identifier: Apache-2.0
package quicpool.it;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What one launched {@link TransportProbe} JVM did.
 *
 * @param command its command line
 * @param exit    its exit status
 * @param took    from start to end
 * @param output  its standard output and error, interleaved
 */
record ProbeRun(List<String> command, int exit, Duration took, String output) {
    /** The transport the probe's client pool ran on, from its {@code transport} line. */
    Optional<String> transport() {
        return valueOf("transport");
    }

    /** The transport the probe's server pool ran on, from its {@code server side} line. */
    Optional<String> serverTransport() {
        return valueOf("server side");
    }

    private Optional<String> valueOf(String label) {
        return output.lines()
                .filter(l -> l.startsWith(label + " "))
                .map(l -> l.substring(label.length()).trim())
                .findFirst();
    }

    /** For assertion messages: the command and everything it printed. */
    @Override
    public String toString() {
        return "exit " + exit + " after " + took.toMillis() + " ms of " + String.join(" ", command)
                + "\n--- output ---\n" + output;
    }
}
