// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import quicpool.compliance.RequiresTransport;

@ExtendWith(LeakCheck.class)
class NativeQuicTest {

    @Test
    @RequiresTransport("netty")
    void theTransportIsNamedNettyOutranksKwikAndIsAvailableHere() {
        NettyTransport transport = new NettyTransport();
        assertThat(transport.name()).isEqualTo("netty");
        assertThat(transport.priority()).isEqualTo(20);
        assertThat(transport.autoSelectable()).isTrue();
        assertThat(transport.unavailableReason()).isEmpty();
    }

    @Test
    void theModuleProvidesTheTransportAndRequiresNoNativeModule() {
        var descriptor = NettyTransport.class.getModule().getDescriptor();
        assertThat(descriptor).as("runs as a named module").isNotNull();
        assertThat(descriptor.provides()).anySatisfy(p -> {
            assertThat(p.service()).isEqualTo("quicpool.api.spi.QuicTransport");
            assertThat(p.providers()).containsExactly(NettyTransport.class.getName());
        });
        assertThat(descriptor.requires()).noneMatch(r -> r.name().startsWith("io.netty.codec.quic."));
        assertThat(NativeQuic.nettyVersion()).startsWith("4.");
    }

    @Test
    void classifierFollowsNettysNaming() {
        assertThat(NativeQuic.classifier("Linux", "amd64")).hasValue("linux-x86_64");
        assertThat(NativeQuic.classifier("Linux", "aarch64")).hasValue("linux-aarch_64");
        assertThat(NativeQuic.classifier("Mac OS X", "aarch64")).hasValue("osx-aarch_64");
        assertThat(NativeQuic.classifier("Mac OS X", "x86_64")).hasValue("osx-x86_64");
        assertThat(NativeQuic.classifier("Windows 11", "amd64")).hasValue("windows-x86_64");
        assertThat(NativeQuic.classifier("Windows 11", "aarch64")).isEmpty();
        assertThat(NativeQuic.classifier("SunOS", "sparcv9")).isEmpty();
        assertThat(NativeQuic.moduleName("osx-aarch_64")).isEqualTo("io.netty.codec.quic.osx.aarch_64");
    }

    @Test
    void missingLibraryMessageNamesCauseAndExactFix() {
        String message = NativeQuic.explain(new UnsatisfiedLinkError(
                "could not load a native library: netty_quiche42_linux_x86_64"), "Linux", "amd64", "4.2.18.Final");
        assertThat(message)
                .contains("netty_quiche42_linux_x86_64")
                .contains("--add-modules io.netty.codec.quic.linux.x86_64")
                .contains("io.netty:netty-codec-native-quic:4.2.18.Final:linux-x86_64")
                .contains("class path");
        assertThat(NativeQuic.explain(null, "SunOS", "sparcv9", "4.2.18.Final"))
                .contains("os.name=\"SunOS\"").contains("\"kwik\"");
    }
}
