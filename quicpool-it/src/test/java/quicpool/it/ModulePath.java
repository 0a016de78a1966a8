// SPDX-License-Identifier: Apache-2.0
package quicpool.it;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The module path of one launched JVM: its entries, and the modules they hold.
 *
 * @param entries jars and exploded module directories
 * @param modules the names of the modules in them
 */
record ModulePath(List<Path> entries, Set<String> modules) {
    ModulePath {
        entries = List.copyOf(entries);
        modules = Set.copyOf(modules);
    }

    /** The value for {@code --module-path}. */
    String argument() {
        return entries.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    }

    /** Whether any module on this path has a name starting with {@code prefix}. */
    boolean hasModuleStartingWith(String prefix) {
        return modules.stream().anyMatch(m -> m.startsWith(prefix));
    }
}
