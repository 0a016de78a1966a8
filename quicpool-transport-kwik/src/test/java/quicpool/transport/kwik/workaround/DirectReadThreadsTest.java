// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik.workaround;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Which threads wait inside Kwik's monitor: a platform thread on any JDK, a virtual thread from
 * JDK 24 on (where a wait in a monitor unmounts it), never a virtual thread on JDK 21 to 23 (it
 * would pin its carrier for the whole wait; such reads wait on a worker thread instead). This
 * machine has no JDK 21 to 23, so the rule is checked as a function of the release.
 */
@Timeout(10)
class DirectReadThreadsTest {

    @Test
    void platformThreadsWaitInTheMonitorOnEveryRelease() {
        for (int feature : new int[] {17, 21, 23, 24, 25}) {
            assertThat(DirectRead.suits(feature, false)).as("a platform thread on JDK %d", feature).isTrue();
        }
    }

    @Test
    void virtualThreadsWaitInTheMonitorFromJdk24On() {
        assertThat(DirectRead.suits(21, true)).as("JDK 21").isFalse();
        assertThat(DirectRead.suits(23, true)).as("JDK 23").isFalse();
        assertThat(DirectRead.suits(24, true)).as("JDK 24").isTrue();
        assertThat(DirectRead.suits(25, true)).as("JDK 25").isTrue();
    }

    @Test
    void theCallingPlatformThreadSuits() {
        assertThat(DirectRead.suitsCurrentThread()).isTrue();
    }
}
