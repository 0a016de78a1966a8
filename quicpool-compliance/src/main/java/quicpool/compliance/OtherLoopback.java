// SPDX-License-Identifier: Apache-2.0
package quicpool.compliance;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;

/**
 * 127.0.0.2: a loopback address other than 127.0.0.1 (Linux routes all of 127/8 to loopback), so
 * that a test can show a server clients of two addresses.
 */
final class OtherLoopback {
    static final InetAddress ADDRESS = new InetSocketAddress("127.0.0.2", 0).getAddress();

    private OtherLoopback() {
    }

    /** Skips the calling test where 127.0.0.2 cannot be bound. */
    static void assumeBindable() {
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(ADDRESS, 0))) {
            assumeTrue(probe.isBound(), "127.0.0.2 is not bindable here");
        } catch (SocketException e) {
            assumeTrue(false, "127.0.0.2 is not bindable here: " + e.getMessage());
        }
    }
}
