// SPDX-License-Identifier: Apache-2.0
package quicpool.it;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import quicpool.api.spi.QuicTransport;

/** Fresh transport instances by name, found the way {@code QuicPools} finds them. */
final class Transports {
    private Transports() {
    }

    /** A new instance of the installed transport called {@code name}, such as {@code "kwik"}. */
    static QuicTransport named(String name) {
        // The Kwik transport's package is not exported: its provider is the only way in. A module
        // must declare `uses` to load a service; this one does so here rather than in its descriptor,
        // whose point is to require nothing but quicpool.api.
        Transports.class.getModule().addUses(QuicTransport.class);
        List<String> seen = new ArrayList<>();
        for (QuicTransport t : ServiceLoader.load(QuicTransport.class, QuicTransport.class.getClassLoader())) {
            if (t.name().equals(name)) {
                return t;
            }
            seen.add(t.name());
        }
        throw new IllegalStateException("no QUIC transport named \"" + name + "\" on the test path; found " + seen);
    }
}
