// SPDX-License-Identifier: Apache-2.0
package quicpool.examples.tunnel;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Command-line options of the form {@code --name value} or {@code --name} (a switch). Every
 * parse error is a {@link UsageException} naming the option and the form it expects.
 */
final class Options {
    private final Map<String, List<String>> values = new HashMap<>();

    private Options() {
    }

    /**
     * Parses {@code args}, which may hold only the given options.
     *
     * @param withValue options followed by a value
     * @param switches  options standing alone
     */
    static Options parse(List<String> args, Set<String> withValue, Set<String> switches) throws UsageException {
        Options options = new Options();
        for (int i = 0; i < args.size(); i++) {
            String name = args.get(i);
            if (switches.contains(name)) {
                options.values.computeIfAbsent(name, k -> new ArrayList<>()).add("");
            } else if (withValue.contains(name)) {
                if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
                    throw new UsageException(name + ": a value is missing");
                }
                options.values.computeIfAbsent(name, k -> new ArrayList<>()).add(args.get(++i));
            } else {
                List<String> known = new ArrayList<>(withValue);
                known.addAll(switches);
                known.sort(null);
                throw new UsageException("unknown option \"" + name + "\"; expected one of " + String.join(" ", known));
            }
        }
        return options;
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    /** The option's last value, or {@code null}. */
    String get(String name) {
        List<String> v = values.get(name);
        return v == null ? null : v.get(v.size() - 1);
    }

    /** Every value of a repeatable option, in order. */
    List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    String required(String name, String form) throws UsageException {
        String v = get(name);
        if (v == null) {
            throw new UsageException(name + " is required: " + form);
        }
        return v;
    }

    /**
     * {@code HOST:PORT} or {@code [IPv6]:PORT}, resolved now. Port 0 (any free port) only where
     * {@code listen} is true.
     */
    static InetSocketAddress address(String name, String text, boolean listen) throws UsageException {
        String form = name + ": expected HOST:PORT such as " + (listen ? "0.0.0.0:8080" : "example.com:8080")
                + ", was \"" + text + "\"";
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new UsageException(form);
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new UsageException(form + " (write an IPv6 address in brackets: [::1]:8080)");
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new UsageException(form);
        }
        if (port < (listen ? 0 : 1) || port > 65535) {
            throw new UsageException(name + ": port must be " + (listen ? 0 : 1) + "..65535, was " + port);
        }
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new UsageException(name + ": cannot resolve the host \"" + host + "\"");
        }
        return address;
    }

    InetSocketAddress address(String name, boolean listen) throws UsageException {
        String v = get(name);
        return v == null ? null : address(name, v, listen);
    }

    int integer(String name, int fallback, int min, int max) throws UsageException {
        String v = get(name);
        return v == null ? fallback : integer(name, v, min, max);
    }

    static int integer(String name, String text, int min, int max) throws UsageException {
        try {
            int n = Integer.parseInt(text.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(name + ": expected a whole number " + min + ".." + max + ", was \"" + text + "\"");
    }

    Duration seconds(String name, Duration fallback) throws UsageException {
        String v = get(name);
        return v == null ? fallback : Duration.ofSeconds(integer(name, v, 1, 3600));
    }

    /** A command-line mistake: the message names the argument and what was expected. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }
}
