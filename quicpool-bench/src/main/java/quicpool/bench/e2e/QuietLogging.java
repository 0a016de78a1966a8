// SPDX-License-Identifier: Apache-2.0
package quicpool.bench.e2e;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the programs' output to their tables: java.util.logging (the back end of System.Logger
 * and of Netty's logging here) prints warnings and errors only, unless a logging configuration
 * file is given with {@code -Djava.util.logging.config.file}.
 */
final class QuietLogging {
    private QuietLogging() {
    }

    static void apply() {
        if (System.getProperty("java.util.logging.config.file") == null
                && System.getProperty("java.util.logging.config.class") == null) {
            Logger.getLogger("").setLevel(Level.WARNING);
        }
    }
}
