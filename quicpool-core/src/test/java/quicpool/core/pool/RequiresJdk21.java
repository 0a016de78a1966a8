// SPDX-License-Identifier: Apache-2.0
package quicpool.core.pool;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a test class only on JDK 21 or later (virtual threads); on an older JDK its tests are
 * skipped, with a {@code SKIPPED: needs JDK 21+} line on standard error saying how to give one.
 * The build runs such classes in quicpool-core's {@code virtual-threads} surefire execution, on the
 * JDK that {@code -Dquicpool.jdk21=/path/to/jdk} names, else on
 * {@code /usr/lib/jvm/temurin-25-jdk-amd64} where it is installed, else on Maven's own JDK.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresJdk21.Condition.class)
@interface RequiresJdk21 {

    /** The condition behind {@link RequiresJdk21}. */
    final class Condition implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            int feature = Runtime.version().feature();
            if (feature >= 21) {
                return ConditionEvaluationResult.enabled("JDK " + feature + " has virtual threads");
            }
            String reason = "SKIPPED: needs JDK 21+ for virtual threads, runs on JDK " + feature + " ("
                    + System.getProperty("java.home") + "); name one with -Dquicpool.jdk21=/path/to/jdk";
            if (context.getTestMethod().isEmpty()) { // once per class
                System.err.println(reason + " (" + context.getRequiredTestClass().getSimpleName() + ")");
            }
            return ConditionEvaluationResult.disabled(reason);
        }
    }
}
