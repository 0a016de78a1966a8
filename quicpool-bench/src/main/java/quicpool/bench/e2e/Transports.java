// SPDX-License-Identifier: Apache-2.0
package quicpool.bench.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import quicpool.api.spi.QuicTransport;

/** Finds a QUIC transport by name; every call makes a fresh instance (one per end, as two processes would). */
final class Transports {
    private Transports() {
    }

    /**
     * A new instance of the transport named {@code name}.
     *
     * @throws IllegalArgumentException if no such transport is installed
     * @throws IllegalStateException    if it cannot run here (its reason, such as a missing native library)
     */
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
