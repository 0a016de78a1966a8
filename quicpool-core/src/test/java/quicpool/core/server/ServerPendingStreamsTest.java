// SPDX-License-Identifier: Apache-2.0
package quicpool.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The server's bounds on streams awaiting their handshake byte: per connection, in all, and the fair share. */
@Timeout(10)
class ServerPendingStreamsTest {
    private final PendingStreams<String, String> pending = new PendingStreams<>(3, 8);

    @Test
    void aConnectionAtItsLimitIsRefusedUntilOneOfItsStreamsLeaves() {
        for (int i = 0; i < 3; i++) {
            assertThat(pending.enter("silent", "s" + i).refusal()).isNull();
        }
        assertThat(pending.enter("silent", "s3").refusal()).isEqualTo(PendingStreams.CONNECTION_FULL);
        assertThat(pending.enter("good", "g0").refusal()).as("another connection").isNull();
        assertThat(pending.leave("silent", "s1")).isTrue();
        assertThat(pending.enter("silent", "s4").refusal()).isNull();
        assertThat(pending.count()).isEqualTo(4);
    }

    @Test
    void whenAllWaitANewStreamDisplacesTheOldestOfTheConnectionWithMost() {
        fill("a", 3);
        fill("b", 3);
        fill("c", 2);
        assertThat(pending.count()).isEqualTo(8);
        PendingStreams.Entry<String> entry = pending.enter("good", "g0");
        assertThat(entry.refusal()).isNull();
        assertThat(entry.displaced()).as("the oldest stream of a connection with most waiting").isIn("a0", "b0");
        assertThat(pending.count()).isEqualTo(8);
        String owner = entry.displaced().substring(0, 1);
        assertThat(pending.leave(owner, entry.displaced())).as("a displaced stream no longer waits").isFalse();
        assertThat(pending.leave("good", "g0")).isTrue();
        assertThat(pending.count()).isEqualTo(7);
    }

    @Test
    void whenAllWaitAndNoConnectionHasMoreTheNewStreamIsRefused() {
        PendingStreams<String, String> evenly = new PendingStreams<>(2, 4);
        evenly.enter("a", "a0");
        evenly.enter("a", "a1");
        evenly.enter("b", "b0");
        evenly.enter("b", "b1");
        PendingStreams.Entry<String> entry = evenly.enter("b", "b2");
        assertThat(entry.refusal()).isEqualTo(PendingStreams.CONNECTION_FULL);
        PendingStreams<String, String> shared = new PendingStreams<>(4, 4);
        shared.enter("a", "a0");
        shared.enter("a", "a1");
        shared.enter("b", "b0");
        shared.enter("b", "b1");
        entry = shared.enter("b", "b2");
        assertThat(entry.refusal()).as("b has as many waiting as the connection with most").isEqualTo(PendingStreams.SERVER_FULL);
        assertThat(entry.displaced()).isNull();
        assertThat(shared.count()).isEqualTo(4);
    }

    @Test
    void aConnectionWhoseStreamsAllLeftHoldsNothing() {
        fill("a", 3);
        for (int i = 0; i < 3; i++) {
            assertThat(pending.leave("a", "a" + i)).isTrue();
        }
        assertThat(pending.leave("a", "a0")).as("left already").isFalse();
        assertThat(pending.count()).isZero();
        fill("a", 3);
        assertThat(pending.count()).isEqualTo(3);
    }

    private void fill(String connection, int n) {
        for (int i = 0; i < n; i++) {
            assertThat(pending.enter(connection, connection + i).refusal()).isNull();
        }
    }
}
