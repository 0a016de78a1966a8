// SPDX-License-Identifier: Apache-2.0
package quicpool.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The threadFactory option of both builders: refused when null, carried to the config as given. */
@Timeout(10)
class ThreadFactoryOptionTest {
    private static ClientPoolBuilder client() {
        return QuicPools.client().serverAddress(new InetSocketAddress("127.0.0.1", 4433));
    }

    @Test
    void nullIsRefusedNamingTheOption() {
        assertThatThrownBy(() -> client().threadFactory(null))
                .isInstanceOf(NullPointerException.class).hasMessage("threadFactory");
        assertThatThrownBy(() -> QuicPools.server().threadFactory(null))
                .isInstanceOf(NullPointerException.class).hasMessage("threadFactory");
    }

    @Test
    void theConfigCarriesTheFactoryGivenAndNullByDefault() {
        ThreadFactory factory = Executors.defaultThreadFactory();
        assertThat(client().config().threadFactory()).isNull();
        assertThat(client().threadFactory(factory).config().threadFactory()).isSameAs(factory);
    }
}
