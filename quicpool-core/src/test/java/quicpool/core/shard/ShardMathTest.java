// SPDX-License-Identifier: Apache-2.0
package quicpool.core.shard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(10)
class ShardMathTest {

    @ParameterizedTest(name = "maxCapacity {0} -> {1} shards")
    @CsvSource({"1,1", "127,1", "128,1", "129,2", "256,2", "300,3", "8192,64", "9000,64", "0,1", "-5,1",
            "2147483647,64"})
    void shardsAreCeilOfCapacityOver128BetweenOneAnd64(int maxCapacity, int shards) {
        assertThat(ShardMath.shardCount(maxCapacity)).isEqualTo(shards);
    }
}
