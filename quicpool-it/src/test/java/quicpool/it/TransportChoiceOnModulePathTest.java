// SPDX-License-Identifier: Apache-2.0
package quicpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import quicpool.testkit.TestCertificates;
import quicpool.compliance.RequiresTransport;

/**
 * Which transport serves an application that names none, as its users see it: each test starts
 * {@link TransportProbe} (whose module requires only {@code quicpool.api}) in a JVM of its own with
 * {@code java --module-path ... --module ...}, the module path holding the engine and the jars of
 * zero, one or both transports, and reads which transport paired its stream; two cases put the same
 * jars on the class path instead.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TransportChoiceOnModulePathTest {
    private static final String KWIK = "quicpool.transport.kwik";
    private static final String NETTY = "quicpool.transport.netty";

    @TempDir
    static Path work;

    private static ModulePaths paths;
    private static ProbeJvm jvm;

    @BeforeAll
    static void prepare() throws IOException {
        paths = ModulePaths.fromMaven();
        jvm = new ProbeJvm(work, TestCertificates.localhost().writePem(work.resolve("pem")));
    }

    /**
     * The module of Netty's native library for this machine. The build brings the linux-x86_64 one
     * only (users elsewhere swap the classifier), so the Netty cases run on Linux x86-64 alone.
     */
    private static String nettyNative() {
        boolean linuxX64 = System.getProperty("os.name").startsWith("Linux")
                && System.getProperty("os.arch").matches("amd64|x86_64");
        assumeTrue(linuxX64, "the build carries Netty's native QUIC library for linux-x86_64 only");
        String module = paths.nettyNativeModule().orElseThrow(() -> new AssertionError(
                "Netty's native QUIC jar is missing from the test dependencies"));
        assertThat(module).isEqualTo("io.netty.codec.quic.linux.x86_64");
        return module;
    }

    @Test
    void withOnlyKwikKwikServesWithoutConfiguration() throws Exception {
        ModulePath path = paths.with(KWIK);
        assertThat(path.hasModuleStartingWith("io.netty")).as("no Netty module on %s", path).isFalse();

        ProbeRun run = jvm.run(path);

        assertServedBy(run, "kwik");
        assertThat(run.output()).as("%s", run).contains("quicpool transport \"kwik\" chosen among kwik");
    }

    @Test
    @RequiresTransport("netty")
    void withOnlyNettyAndItsNativeModuleNettyServes() throws Exception {
        String nativeModule = nettyNative();
        ModulePath path = paths.with(NETTY, nativeModule);
        assertThat(path.hasModuleStartingWith("tech.kwik")).as("no Kwik module on %s", path).isFalse();

        ProbeRun run = jvm.run(path, "--add-modules", nativeModule);

        assertServedBy(run, "netty");
    }

    @Test
    @RequiresTransport("netty")
    void withBothNettyServesByPriorityAndTheChoiceIsLogged() throws Exception {
        String nativeModule = nettyNative();

        ProbeRun run = jvm.run(paths.with(KWIK, NETTY, nativeModule), "--add-modules", nativeModule);

        assertServedBy(run, "netty");
        assertThat(run.output()).as("%s", run).contains("quicpool transport \"netty\" chosen among");
    }

    @Test
    @RequiresTransport("netty")
    void withBothTheSystemPropertyPicksKwik() throws Exception {
        String nativeModule = nettyNative();

        ProbeRun run = jvm.run(paths.with(KWIK, NETTY, nativeModule), "--add-modules", nativeModule,
                "-Dquicpool.transport=kwik");

        assertServedBy(run, "kwik");
        assertThat(run.output()).as("%s", run).contains("quicpool transport \"kwik\" chosen by name");
    }

    @Test
    @RequiresTransport("netty")
    void withBothButNettysNativeModuleUnresolvedKwikServes() throws Exception {
        String nativeModule = nettyNative();

        ProbeRun run = jvm.run(paths.with(KWIK, NETTY, nativeModule)); // the jar is there, the flag is not

        assertServedBy(run, "kwik");
    }

    /** Users who keep to the class path find transports through META-INF/services, as on the module path. */
    @Test
    void onTheClassPathWithOnlyKwikKwikServes() throws Exception {
        ProbeRun run = jvm.runOnClassPath(paths.with(KWIK));

        assertServedBy(run, "kwik");
    }

    @Test
    @RequiresTransport("netty")
    void onTheClassPathWithBothNettyServesWithoutAnyFlag() throws Exception {
        String nativeModule = nettyNative();

        ProbeRun run = jvm.runOnClassPath(paths.with(KWIK, NETTY, nativeModule));

        assertServedBy(run, "netty");
    }

    @Test
    void withNeitherTheErrorNamesTheArtifactsToAdd() throws Exception {
        ModulePath path = paths.with();
        assertThat(path.modules()).containsExactlyInAnyOrder(ModulePaths.PROBE, "quicpool.api", "quicpool.core");

        ProbeRun run = jvm.run(path);

        assertThat(run.exit()).as("%s", run).isNotZero();
        assertThat(run.transport()).as("%s", run).isEmpty();
        assertThat(run.output()).as("%s", run)
                .contains("no QUIC transport found")
                .contains("io.quicpool:quicpool-transport-kwik")
                .contains("io.quicpool:quicpool-transport-netty");
    }

    @Test
    @RequiresTransport("netty")
    void withOnlyNettyButNotItsNativeModuleTheErrorNamesTheFlag() throws Exception {
        String nativeModule = nettyNative();

        ProbeRun run = jvm.run(paths.with(NETTY, nativeModule)); // the jar is there, the flag is not

        assertThat(run.exit()).as("%s", run).isNotZero();
        assertThat(run.transport()).as("%s", run).isEmpty();
        assertThat(run.output()).as("%s", run)
                .contains("--add-modules " + nativeModule)
                .containsPattern("io\\.netty:netty-codec-native-quic:[^: ]+:linux-x86_64");
    }

    private static void assertServedBy(ProbeRun run, String transport) {
        assertThat(run.exit()).as("%s", run).isZero();
        assertThat(run.transport()).as("%s", run).contains(transport);
        assertThat(run.serverTransport()).as("%s", run).contains(transport);
    }
}
