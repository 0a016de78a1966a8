// SPDX-License-Identifier: Apache-2.0
package quicpool.core.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import quicpool.api.ClientPoolBuilder;
import quicpool.api.QuicPools;
import quicpool.api.RefillPolicy;
import quicpool.api.internal.BuilderConfigs;

@Timeout(10)
class ControllersTest {
    private static ClientPoolBuilder builder() {
        return QuicPools.client().serverAddress(new InetSocketAddress("127.0.0.1", 1)).capacity(3, 50);
    }

    @Test
    void theDefaultPolicyIsAdaptive() {
        RefillController c = Controllers.forConfig(BuilderConfigs.client(builder()));
        assertThat(c).isInstanceOf(AdaptiveController.class);
        assertThat(c.capacity()).isEqualTo(3);
    }

    @Test
    void classicIsThereForWhoAsksForIt() {
        RefillController c = Controllers.forConfig(BuilderConfigs.client(builder().refillPolicy(RefillPolicy.CLASSIC)));
        assertThat(c).isInstanceOf(ClassicController.class);
        assertThat(c.capacity()).isEqualTo(3);
    }
}
