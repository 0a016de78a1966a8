// SPDX-License-Identifier: Apache-2.0
package quicpool.bench.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import quicpool.api.spi.QuicTransport;

/** Finds a QUIC transport by name; every call makes a fresh instance (one per end, as two processes would). */
public final class Transports {
    private Transports() {
    }

    /**
     * A new instance of the transport named {@code name}.
     *
     * @throws IllegalArgumentException if no such transport is installed
     * @throws IllegalStateException    if it cannot run here (its reason, such as a missing native library)
     */
    /**
     * The names among {@code names} whose transport can run here, in order; for each other one,
     * a line on standard error: "SKIPPED: transport "netty" cannot run here: ..." (for example
     * where Netty's native QUIC library does not exist for the platform).
     *
     * @throws IllegalArgumentException if a name is not installed at all
     */
    public static List<String> runnableHere(List<String> names) {
        List<String> runnable = new ArrayList<>();
        for (String name : names) {
            try {
                fresh(name);
                runnable.add(name);
            } catch (IllegalStateException e) {
                System.err.println("SKIPPED: " + e.getMessage());
            }
        }
        return runnable;
    }

    static QuicTransport fresh(String name) {
        List<String> installed = new ArrayList<>();
        for (QuicTransport t : ServiceLoader.load(QuicTransport.class, QuicTransport.class.getClassLoader())) {
            if (t.name().equals(name)) {
                t.unavailableReason().ifPresent(why -> {
                    throw new IllegalStateException("transport \"" + name + "\" cannot run here: " + why);
                });
                return t;
            }
            installed.add(t.name());
        }
        throw new IllegalArgumentException("no transport named \"" + name + "\"; installed: " + installed);
    }
}
