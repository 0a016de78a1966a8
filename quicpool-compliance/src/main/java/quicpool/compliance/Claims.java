// SPDX-License-Identifier: Apache-2.0
package quicpool.compliance;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import quicpool.api.spi.Capability;
import quicpool.api.spi.QuicTransport;

/**
 * Runs the checks of a {@link Capability} only on a transport that claims it in {@link
 * QuicTransport#capabilities()}; for one that does not, says so on standard error ("SKIPPED:
 * transport kwik does not claim CLOSE_REASON: ..."), once per transport, capability and check, so
 * that an unclaimed capability shows in the build's output instead of passing unnoticed.
 */
final class Claims {
    private static final Set<String> ANNOUNCED = ConcurrentHashMap.newKeySet();

    private Claims() {
    }

    /**
     * True if {@code transport} claims {@code capability}; else prints the SKIPPED line for
     * {@code check} and returns false.
     *
     * @param check what the caller checks only where the capability is claimed
     */
    static boolean claims(QuicTransport transport, Capability capability, String check) {
        if (transport.capabilities().contains(capability)) {
            return true;
        }
        String line = skipped(transport, capability, check);
        if (ANNOUNCED.add(line)) {
            System.err.println(line);
        }
        return false;
    }

    private static String skipped(QuicTransport transport, Capability capability, String check) {
        return "SKIPPED: transport " + transport.name() + " does not claim " + capability + ": " + check;
    }
}
