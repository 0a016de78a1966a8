// SPDX-License-Identifier: Apache-2.0
package quicpool.compliance;

import java.lang.System.Logger.Level;

/**
 * Writes a measured figure as one log line, {@code FIGURE | transport | what | value}, through the
 * logger {@code quicpool.reliability} at INFO, so a test run's output holds the numbers that
 * {@code RELIABILITY.md} reports.
 */
public final class Figures {
    private static final System.Logger LOG = System.getLogger("quicpool.reliability");

    private Figures() {
    }

    public static void record(String transport, String what, Object value) {
        LOG.log(Level.INFO, "FIGURE | " + transport + " | " + what + " | " + value);
    }
}
