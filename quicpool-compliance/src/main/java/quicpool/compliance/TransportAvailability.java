// SPDX-License-Identifier: Apache-2.0
package quicpool.compliance;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;
import quicpool.api.spi.QuicTransport;

/** The condition behind {@link RequiresTransport}. */
final class TransportAvailability implements ExecutionCondition {

    private static final Set<String> ANNOUNCED = ConcurrentHashMap.newKeySet();

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<RequiresTransport> required = context.getElement()
                .flatMap(e -> AnnotationSupport.findAnnotation(e, RequiresTransport.class));
        if (required.isEmpty()) {
            return ConditionEvaluationResult.enabled("no transport required");
        }
        String name = required.get().value();
        String platform = platform(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
        if (Arrays.asList(required.get().requiredOn()).contains(platform)) {
            return ConditionEvaluationResult.enabled("transport \"" + name + "\" must run on " + platform);
        }
        Optional<String> why = unavailableReason(name);
        if (why.isEmpty()) {
            return ConditionEvaluationResult.enabled("transport \"" + name + "\" runs here");
        }
        String reason = "SKIPPED: transport \"" + name + "\" cannot run on " + platform + ": " + why.get();
        if (ANNOUNCED.add(name + " " + context.getRequiredTestClass().getName())) {
            System.err.println(reason + " (" + context.getRequiredTestClass().getSimpleName() + ")");
        }
        return ConditionEvaluationResult.disabled(reason);
    }

    /** The reason the transport gives for not running here, or one saying it is not installed. */
    static Optional<String> unavailableReason(String name) {
        for (QuicTransport t : ServiceLoader.load(QuicTransport.class, QuicTransport.class.getClassLoader())) {
            if (t.name().equals(name)) {
                return t.unavailableReason();
            }
        }
        return Optional.of("no transport named \"" + name + "\" is installed");
    }

    /** {@code os-arch} as Netty names its native classifiers: linux-x86_64, osx-aarch_64, windows-x86_64. */
    static String platform(String osName, String osArch) {
        String os = osName.toLowerCase(Locale.ROOT);
        String family = os.startsWith("linux") ? "linux" : os.startsWith("mac") || os.startsWith("darwin") ? "osx"
                : os.startsWith("windows") ? "windows" : os.replace(' ', '_');
        String arch = switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch_64";
            default -> osArch.toLowerCase(Locale.ROOT);
        };
        return family + "-" + arch;
    }
}
