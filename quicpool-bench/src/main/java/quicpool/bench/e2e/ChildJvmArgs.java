// SPDX-License-Identifier: Apache-2.0
package quicpool.bench.e2e;

import java.util.ArrayList;
import java.util.List;

/**
 * JVM options for the peer processes, from the system property {@value #PROPERTY} of the
 * launcher: options separated by white space, each {@code {name}} in them replaced by the child's
 * name with every character other than a letter, digit, dot or hyphen made a hyphen. How a
 * profile of each end is taken, e.g.
 * {@code -Dquicpool.bench.childJvmArgs="-XX:StartFlightRecording=settings=profile,filename=/tmp/{name}.jfr"}.
 */
final class ChildJvmArgs {
    static final String PROPERTY = "quicpool.bench.childJvmArgs";

    private ChildJvmArgs() {
    }

    /** The options for the child named {@code name}; empty when the property is unset or blank. */
    static List<String> forChild(String name) {
        return of(System.getProperty(PROPERTY, ""), name);
    }

    /** The options in {@code text} for the child named {@code name}. */
    static List<String> of(String text, String name) {
        String safe = name.replaceAll("[^A-Za-z0-9.-]", "-");
        List<String> options = new ArrayList<>();
        for (String option : text.trim().split("\\s+")) {
            if (!option.isEmpty()) {
                options.add(option.replace("{name}", safe));
            }
        }
        return options;
    }
}
