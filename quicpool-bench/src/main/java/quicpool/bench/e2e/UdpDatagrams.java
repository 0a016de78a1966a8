// SPDX-License-Identifier: Apache-2.0
package quicpool.bench.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;

/**
 * The UDP datagrams this machine has sent so far, from the kernel's counters ({@code
 * /proc/net/snmp}, Linux): on loopback every datagram sent is one received, so the difference
 * between two readings counts the datagrams both ends exchanged meanwhile, plus whatever else the
 * machine sent (nothing, on a quiet machine).
 */
final class UdpDatagrams {
    static final Path SNMP = Path.of("/proc/net/snmp");
    private static final String UDP = "Udp:";
    private static final String SENT = "OutDatagrams";

    private UdpDatagrams() {
    }

    /** The count so far, or empty where the kernel does not report it. */
    static OptionalLong sentSoFar() {
        try {
            return sentIn(Files.readAllLines(SNMP));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** {@code OutDatagrams} of the {@code Udp:} header line and the value line after it. */
    static OptionalLong sentIn(List<String> snmp) {
        for (int i = 0; i + 1 < snmp.size(); i++) {
            if (snmp.get(i).startsWith(UDP) && snmp.get(i + 1).startsWith(UDP)) {
                List<String> names = Arrays.asList(snmp.get(i).trim().split("\\s+"));
                String[] values = snmp.get(i + 1).trim().split("\\s+");
                int at = names.indexOf(SENT);
                return at > 0 && at < values.length
                        ? OptionalLong.of(Long.parseLong(values[at])) : OptionalLong.empty();
            }
        }
        return OptionalLong.empty();
    }
}
