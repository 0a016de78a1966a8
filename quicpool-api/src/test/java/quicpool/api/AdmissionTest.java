// SPDX-License-Identifier: Apache-2.0
package quicpool.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import quicpool.api.spi.Admission;

/** What a transport gets from an admission rule, faulty ones included. */
@Timeout(10)
class AdmissionTest {
    private static final InetSocketAddress SOURCE = new InetSocketAddress("192.0.2.1", 4433);

    @Test
    void judgeIsTheRulesAnswerAndARuleThatThrowsRefuses() {
        Admission faulty = source -> {
            throw new IllegalStateException("broken rule");
        };
        assertThat(faulty.judge(SOURCE)).isFalse();
        assertThat(Admission.ALL.judge(SOURCE)).isTrue();
        Admission refuseAll = source -> false;
        assertThat(refuseAll.judge(SOURCE)).isFalse();
    }
}
