// SPDX-License-Identifier: Apache-2.0
package quicpool.bench.e2e;

import java.util.ArrayList;
import java.util.List;

/** Command-line arguments of the programs: a transport list first, then whole numbers. */
final class Args {
    private final String[] args;
    private final String usage;

    Args(String[] args, String usage) {
        this.args = args;
        this.usage = usage;
    }

    /**
     * The first argument: transport names separated by commas ({@code kwik}, {@code netty},
     * {@code kwik,netty}), less those that cannot run here (each named on standard error).
     *
     * @throws IllegalArgumentException if it is missing or names an empty transport
     */
    List<String> transports() {
        if (args.length == 0 || args[0].isBlank()) {
            throw new IllegalArgumentException("the first argument must name the transports, e.g. kwik,netty (usage: "
                    + usage + ")");
        }
        List<String> names = new ArrayList<>();
        for (String name : args[0].split(",")) {
            String n = name.trim();
            if (n.isEmpty()) {
                throw new IllegalArgumentException("transport list \"" + args[0]
                        + "\" has an empty name; expected names separated by commas, e.g. kwik,netty");
            }
            names.add(n);
        }
        return Transports.runnableHere(names);
    }

    /**
     * Argument {@code i} (0 is the transport list) as a whole number of at least {@code least},
     * or {@code fallback} when absent.
     *
     * @throws IllegalArgumentException naming the argument, its value and what was expected
     */
    int integer(int i, String name, int fallback, int least) {
        if (args.length <= i) {
            return fallback;
        }
        int v;
        try {
            v = Integer.parseInt(args[i].trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " (argument " + (i + 1) + ") must be a whole number, was \""
                    + args[i] + "\" (usage: " + usage + ")");
        }
        if (v < least) {
            throw new IllegalArgumentException(name + " (argument " + (i + 1) + ") must be >= " + least + ", was " + v
                    + " (usage: " + usage + ")");
        }
        return v;
    }

    /**
     * Argument {@code i} as whole numbers separated by commas ({@code 1,8,64}), each at least
     * {@code least}, or {@code fallback} when absent.
     *
     * @throws IllegalArgumentException naming the argument, its value and what was expected
     */
    List<Integer> integers(int i, String name, List<Integer> fallback, int least) {
        if (args.length <= i) {
            return fallback;
        }
        List<Integer> values = new ArrayList<>();
        for (String part : args[i].split(",", -1)) {
            try {
                values.add(Integer.parseInt(part.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " (argument " + (i + 1) + ") must be whole numbers separated"
                        + " by commas, e.g. 1,8,64, was \"" + args[i] + "\" (usage: " + usage + ")");
            }
            if (values.get(values.size() - 1) < least) {
                throw new IllegalArgumentException(name + " (argument " + (i + 1) + ") must all be >= " + least
                        + ", was \"" + args[i] + "\" (usage: " + usage + ")");
            }
        }
        return List.copyOf(values);
    }
}
