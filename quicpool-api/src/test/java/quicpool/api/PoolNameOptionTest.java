// SPDX-License-Identifier: Apache-2.0
package quicpool.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** name(...): what it accepts reaches the config; what it refuses is named in the exception. */
@Timeout(10)
class PoolNameOptionTest {
    private static ClientPoolBuilder client() {
        return QuicPools.client().serverAddress(new InetSocketAddress("127.0.0.1", 4433));
    }

    @Test
    void aValidNameReachesBothConfigsAndNoNameLeavesItToTheEngine() {
        assertThat(client().name("tunnel-eu_1.a").config().name()).isEqualTo("tunnel-eu_1.a");
        assertThat(client().config().name()).isNull();
        assertThat(QuicPools.server().name("edge").name).isEqualTo("edge");
        assertThat(client().name("x".repeat(64)).config().name()).hasSize(64);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "two words", "-dash-first", ".dot", "tab\t", "caf\u00e9", "a/b", "a:b"})
    void aNameOutsideTheCharsetIsRefusedAtOnceNamingIt(String bad) {
        assertThatThrownBy(() -> client().name(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("name must be 1 to 64 characters, ASCII letters, digits, '.', '_' or '-', starting with a"
                        + " letter or digit, was \"" + bad + "\"");
        assertThatThrownBy(() -> QuicPools.server().name(bad)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aNameTooLongOrNullIsRefused() {
        assertThatThrownBy(() -> client().name("x".repeat(65)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 to 64 characters");
        assertThatThrownBy(() -> client().name(null)).isInstanceOf(NullPointerException.class).hasMessage("name");
    }
}
