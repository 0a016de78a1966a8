// SPDX-License-Identifier: Apache-2.0
package quicpool.it;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.module.ResolvedModule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Module paths for launched JVMs, made from what Maven resolved for this module's tests (the file
 * named by the system property {@code quicpool.it.candidates}, written by the dependency plugin's
 * {@code build-classpath}) and the probe application ({@code quicpool.it.probe}, this module's
 * classes directory).
 *
 * <p>A path holds the probe and exactly the modules that the given root modules require,
 * transitively, as the JDK's own resolver finds them: what an application's {@code libs} directory
 * holds when it depends on those artifacts and nothing else.
 */
final class ModulePaths {
    /** The application module every path starts from. */
    static final String PROBE = "quicpool.it";

    private final ModuleFinder finder;

    private ModulePaths(Path probe, List<Path> candidates) {
        List<Path> all = new ArrayList<>();
        all.add(probe);
        all.addAll(candidates);
        this.finder = ModuleFinder.of(all.toArray(Path[]::new));
    }

    /** From the system properties Maven's surefire configuration sets. */
    static ModulePaths fromMaven() {
        Path list = Path.of(required("quicpool.it.candidates"));
        Path probe = Path.of(required("quicpool.it.probe"));
        try {
            List<Path> candidates = Arrays.stream(Files.readString(list).trim().split(File.pathSeparator))
                    .filter(s -> !s.isBlank())
                    .map(Path::of)
                    .collect(Collectors.toList());
            return new ModulePaths(probe, candidates);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the module path candidates Maven wrote to " + list, e);
        }
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + property + " is not set: run these tests through"
                    + " Maven (mvn -pl quicpool-it -am verify), whose surefire configuration sets it");
        }
        return value;
    }

    /** The probe and every module it and {@code roots} need. */
    ModulePath with(String... roots) {
        Set<String> wanted = new TreeSet<>(Arrays.asList(roots));
        wanted.add(PROBE);
        wanted.add("quicpool.core"); // the engine: an application depends on it at run time
        Configuration resolved = Configuration.empty().resolve(finder, ModuleFinder.ofSystem(), wanted);
        List<Path> entries = new ArrayList<>();
        Set<String> modules = new TreeSet<>();
        for (ResolvedModule m : resolved.modules()) {
            ModuleReference ref = m.reference();
            Optional<Path> location = ref.location().filter(uri -> !"jrt".equals(uri.getScheme())).map(Path::of);
            if (location.isPresent()) {
                entries.add(location.get());
                modules.add(m.name());
            }
        }
        entries.sort(null);
        return new ModulePath(entries, modules);
    }

    /** The name of the module of Netty's native QUIC library among the candidates, if there is one. */
    Optional<String> nettyNativeModule() {
        return finder.findAll().stream()
                .map(r -> r.descriptor().name())
                .filter(n -> n.startsWith("io.netty.codec.quic."))
                .findFirst();
    }
}
