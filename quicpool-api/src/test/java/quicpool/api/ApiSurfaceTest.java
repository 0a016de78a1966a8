// SPDX-License-Identifier: Apache-2.0
package quicpool.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleReader;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import quicpool.api.internal.BuilderConfigs;
import quicpool.api.internal.ClientPoolConfig;
import quicpool.api.internal.PoolEngine;
import quicpool.api.internal.ServerPoolConfig;

/**
 * The builders' hand-off to the engine stays out of what {@code quicpool.api} exports to everyone:
 * a user or transport author sees builders, pools and the SPI, never a configuration record or the
 * engine interface, so a new builder option is never a breaking change.
 */
@Timeout(10)
class ApiSurfaceTest {
    private static final Module API = ClientPoolBuilder.class.getModule();
    private static final List<Class<?>> HAND_OFF =
            List.of(ClientPoolConfig.class, ServerPoolConfig.class, PoolEngine.class, BuilderConfigs.class);

    @Test
    void onlyTheUserAndTransportPackagesAreExportedToEveryoneAndInternalOnlyToTheEngine() {
        assertThat(API.isNamed()).as("tests run on the module path, patched into quicpool.api").isTrue();
        ModuleDescriptor d = API.getDescriptor();
        assertThat(d.exports().stream().filter(e -> !e.isQualified()).map(ModuleDescriptor.Exports::source))
                .containsExactlyInAnyOrder("quicpool.api", "quicpool.api.spi");
        Map<String, Set<String>> qualified = d.exports().stream().filter(ModuleDescriptor.Exports::isQualified)
                .collect(Collectors.toMap(ModuleDescriptor.Exports::source, ModuleDescriptor.Exports::targets));
        assertThat(qualified).isEqualTo(Map.of("quicpool.api.internal", Set.of("quicpool.core")));
        assertThat(d.opens()).isEmpty();
    }

    @Test
    void theEngineHandOffTypesAreNotExportedToUsers() {
        for (Class<?> type : HAND_OFF) {
            assertThat(API.isExported(type.getPackageName())).as(type.getName()).isFalse();
        }
        assertThat(API.getDescriptor().uses()).contains(PoolEngine.class.getName());
    }

    @Test
    void theBuildersHaveNoPublicConfigMethod() {
        for (Class<?> builder : List.of(ClientPoolBuilder.class, ServerPoolBuilder.class, PoolBuilder.class)) {
            assertThat(Stream.of(builder.getMethods()).map(Method::getName)).as(builder.getName())
                    .doesNotContain("config");
        }
    }

    /** A public member that names an unexported type would hand users a type they cannot name. */
    @Test
    void noPublicMemberOfAnExportedTypeNamesATypeOfAnUnexportedPackage() {
        List<String> leaks = new ArrayList<>();
        for (Class<?> type : exportedPublicTypes()) {
            for (Method m : type.getMethods()) {
                if (m.getDeclaringClass().getModule() == API) {
                    check(type, m, m.getReturnType(), leaks);
                    checkParameters(type, m, leaks);
                }
            }
            for (Executable c : type.getConstructors()) {
                checkParameters(type, c, leaks);
            }
            for (Field f : type.getFields()) {
                check(type, f, f.getType(), leaks);
            }
            if (type.getSuperclass() != null) {
                check(type, type, type.getSuperclass(), leaks);
            }
            for (Class<?> i : type.getInterfaces()) {
                check(type, type, i, leaks);
            }
        }
        assertThat(leaks).isEmpty();
    }

    private static void checkParameters(Class<?> type, Executable e, List<String> leaks) {
        for (Class<?> p : e.getParameterTypes()) {
            check(type, e, p, leaks);
        }
    }

    private static void check(Class<?> type, Object member, Class<?> used, List<String> leaks) {
        while (used.isArray()) {
            used = used.getComponentType();
        }
        if (used.getModule() == API && !API.isExported(used.getPackageName())) {
            leaks.add(type.getName() + ": " + member + " names " + used.getName());
        }
    }

    private static List<Class<?>> exportedPublicTypes() {
        List<Class<?>> types = new ArrayList<>();
        try (ModuleReader reader = API.getLayer().configuration().findModule(API.getName()).orElseThrow()
                .reference().open(); Stream<String> names = reader.list()) {
            names.filter(n -> n.endsWith(".class") && !n.equals("module-info.class"))
                    .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
                    .filter(n -> API.isExported(n.substring(0, n.lastIndexOf('.'))))
                    .map(n -> Class.forName(API, n))
                    .filter(c -> c != null && Modifier.isPublic(c.getModifiers()))
                    .forEach(types::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(types).as("public types found in the exported packages").contains(ClientPoolBuilder.class,
                ServerPoolBuilder.class, quicpool.api.spi.QuicTransport.class);
        return types;
    }
}
