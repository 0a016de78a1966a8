package quicpool.core.registry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import quicpool.core.stream.PooledStream;

/** Trimming: the pool closes idle streams its controller no longer wants, oldest first. */
@Timeout(10)
class StreamRegistryTrimTest {

    @Test
    void trimClosesTheOldestIdleStreamsAndCountsThemEvicted() {
        StreamRegistry r = new StreamRegistry(16);
        Stubs.Conn conn = new Stubs.Conn();
        PooledStream[] s = new PooledStream[5];
        for (int i = 0; i < s.length; i++) {
            s[i] = Stubs.pooled("0000000" + i, conn);
            assertThat(r.register(s[i])).isTrue();
        }
        assertThat(r.take("00000000")).isSameAs(s[0]); // taken by ID: not the registry's to trim

        assertThat(r.trim(2)).isEqualTo(2);

        assertThat(s[1].isOpen()).isFalse();
        assertThat(s[2].isOpen()).isFalse();
        assertThat(s[0].isOpen()).isTrue();
        assertThat(r.active()).isEqualTo(2);
        assertThat(r.evictedCount()).isEqualTo(2);
        assertThat(r.takeAny()).isSameAs(s[3]);
        assertThat(r.trim(5)).isEqualTo(1);
        assertThat(r.active()).isZero();
        assertThat(r.trim(1)).isZero();
    }
}
