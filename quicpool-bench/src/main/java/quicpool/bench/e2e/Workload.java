// SPDX-License-Identifier: Apache-2.0
package quicpool.bench.e2e;

/** The workload names of the separate-process peers. */
final class Workload {
    /** N streams x M bytes of echo over C connections. */
    static final String ECHO = "echo";
    /** One-way bulk on one stream, the server answering the count. */
    static final String BULK = "bulk";

    private Workload() {
    }

    /**
     * Argument {@code i} as a workload name.
     *
     * @throws IllegalArgumentException naming the value if it is missing or neither echo nor bulk
     */
    static String of(String[] args, int i, String usage) {
        String w = args.length > i ? args[i].trim() : "";
        if (!w.equals(ECHO) && !w.equals(BULK)) {
            throw new IllegalArgumentException("argument " + (i + 1) + " must be the workload, echo or bulk, was \""
                    + w + "\" (usage: " + usage + ")");
        }
        return w;
    }
}
