// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.netty;

import io.netty.handler.codec.quic.Quic;
import java.lang.module.ModuleDescriptor;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether Netty's native QUIC library (quiche + BoringSSL) can be loaded here, and if not, the
 * exact fix. The library ships as one jar per platform; its module exports nothing and nobody
 * requires it, so on the module path it stays unresolved unless added explicitly.
 */
final class NativeQuic {

    private NativeQuic() {
    }

    /** Empty when {@link Quic#isAvailable()}; otherwise the cause and how to fix it. */
    static Optional<String> unavailableReason() {
        if (Quic.isAvailable()) {
            return Optional.empty();
        }
        return Optional.of(explain(Quic.unavailabilityCause(), System.getProperty("os.name", ""),
                System.getProperty("os.arch", ""), nettyVersion()));
    }

    /** Netty's version: from the module descriptor on the module path, else from the jar manifest. */
    static String nettyVersion() {
        ModuleDescriptor descriptor = Quic.class.getModule().getDescriptor();
        if (descriptor != null && descriptor.rawVersion().isPresent()) {
            return descriptor.rawVersion().get();
        }
        return Quic.class.getPackage().getImplementationVersion();
    }

    /** The message for an unavailable native library; a function of its inputs for testing. */
    static String explain(Throwable cause, String osName, String osArch, String nettyVersion) {
        String version = nettyVersion == null ? "<netty version>" : nettyVersion;
        String reason = cause == null ? "unknown cause" : cause.toString();
        Optional<String> classifier = classifier(osName, osArch);
        if (classifier.isEmpty()) {
            return "Netty's native QUIC library cannot be loaded (" + reason + "), and Netty publishes no"
                    + " native QUIC build for os.name=\"" + osName + "\", os.arch=\"" + osArch
                    + "\". Use the pure-Java transport \"kwik\" (io.quicpool:quicpool-transport-kwik) instead.";
        }
        String c = classifier.get();
        return "Netty's native QUIC library cannot be loaded (" + reason + "). Put the native jar"
                + " io.netty:netty-codec-native-quic:" + version + ":" + c
                + " on the module path and resolve it with --add-modules " + moduleName(c)
                + " (it exports nothing, so the module system does not load it by itself),"
                + " or put that jar on the class path.";
    }

    /** Netty's classifier for this platform, e.g. {@code linux-x86_64} or {@code osx-aarch_64}. */
    static Optional<String> classifier(String osName, String osArch) {
        String os = osName.toLowerCase(Locale.ROOT);
        String arch = osArch.toLowerCase(Locale.ROOT);
        String osPart;
        if (os.startsWith("linux")) {
            osPart = "linux";
        } else if (os.startsWith("mac") || os.startsWith("darwin") || os.startsWith("osx")) {
            osPart = "osx";
        } else if (os.startsWith("windows")) {
            osPart = "windows";
        } else {
            return Optional.empty();
        }
        String archPart;
        switch (arch) {
            case "amd64":
            case "x86_64":
            case "x86-64":
                archPart = "x86_64";
                break;
            case "aarch64":
            case "arm64":
                archPart = "aarch_64";
                break;
            default:
                return Optional.empty();
        }
        if (osPart.equals("windows") && !archPart.equals("x86_64")) {
            return Optional.empty();
        }
        return Optional.of(osPart + "-" + archPart);
    }

    /** The JPMS module of a native jar: {@code linux-x86_64} -> {@code io.netty.codec.quic.linux.x86_64}. */
    static String moduleName(String classifier) {
        return "io.netty.codec.quic." + classifier.replace('-', '.');
    }
}
