// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The datagrams the Linux kernel dropped on this machine's UDP sockets, from /proc/net/udp and udp6. */
final class UdpDrops {

    private static final List<Path> TABLES = List.of(Path.of("/proc/net/udp"), Path.of("/proc/net/udp6"));

    private UdpDrops() {
    }

    /** Whether the kernel reports drops per socket here. */
    static boolean available() {
        return Files.isReadable(TABLES.get(0));
    }

    /** Datagrams dropped so far on the sockets bound to any of these local ports. */
    static long onPorts(int... ports) throws IOException {
        long drops = 0;
        for (Path table : TABLES) {
            if (!Files.isReadable(table)) {
                continue;
            }
            List<String> lines = Files.readAllLines(table);
            for (String line : lines.subList(1, lines.size())) {
                // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ref pointer drops
                String[] fields = line.trim().split("\\s+");
                int port = Integer.parseInt(fields[1].substring(fields[1].indexOf(':') + 1), 16);
                for (int p : ports) {
                    if (p == port) {
                        drops += Long.parseLong(fields[fields.length - 1]);
                    }
                }
            }
        }
        return drops;
    }
}
