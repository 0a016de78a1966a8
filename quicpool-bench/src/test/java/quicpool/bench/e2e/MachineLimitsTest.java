// SPDX-License-Identifier: Apache-2.0
package quicpool.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import javax.crypto.AEADBadTagException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class MachineLimitsTest {

    @Test
    void aSealedDatagramOpensToItsPayloadAndATamperedOneIsRefused() throws Exception {
        byte[] key = new byte[16];
        new SplittableRandom(7).nextBytes(key);
        byte[] plain = new byte[MachineLimits.SEALED_PAYLOAD];
        new SplittableRandom(8).nextBytes(plain);
        byte[] packet = new byte[MachineLimits.DATAGRAM];
        new MachineLimits.Sealer(key).seal(41, plain, packet);

        byte[] opened = new byte[MachineLimits.DATAGRAM];
        int n = new MachineLimits.Sealer(key).open(packet, packet.length, opened);
        assertThat(Arrays.copyOf(opened, n)).isEqualTo(plain);

        packet[100] ^= 1;
        assertThatThrownBy(() -> new MachineLimits.Sealer(key).open(packet, packet.length, opened))
                .isInstanceOf(AEADBadTagException.class);
    }

    @Test
    void eachLimitMovesBytes() throws Exception {
        MachineLimits.Limits l = MachineLimits.measure(Duration.ofMillis(100), Duration.ofMillis(300));

        assertThat(l.aesGcmMBps()).isPositive();
        assertThat(l.udpMBps()).isPositive();
        assertThat(l.sealedUdpMBps()).isPositive();
    }
}
