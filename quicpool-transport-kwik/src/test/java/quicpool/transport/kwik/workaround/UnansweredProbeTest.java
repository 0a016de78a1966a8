// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik.workaround;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A path is given up only after a probe went out and nothing came back for half a keep-alive
 * period and three probe timeouts: not while the stack holds the probe back, not while a slow
 * server's RTT estimate says its answer may still come.
 */
@Timeout(10)
class UnansweredProbeTest {

    private static final long PERIOD = TimeUnit.SECONDS.toNanos(1);
    private static final long SMALL_PTO = TimeUnit.MILLISECONDS.toNanos(50);

    private long now = 1_000;
    private long received = 1;
    private long sent = 1;
    private final UnansweredProbe probe = new UnansweredProbe(() -> received, () -> sent, () -> now, PERIOD);

    /** The keep-alive's next probe, one period later; the probe it sends leaves at once unless held. */
    private String nextProbe(long pto, boolean leaves) {
        now += PERIOD;
        String dead = probe.beforeProbe(pto);
        if (dead == null && leaves) {
            sent = now + 1;
        }
        return dead;
    }

    @Test
    void aServerThatAnswersEveryProbeIsAlive() {
        for (int i = 0; i < 5; i++) {
            assertThat(nextProbe(SMALL_PTO, true)).isNull();
            received = now + 2;
        }
    }

    @Test
    void silenceForAPeriodAfterAProbeThatLeftIsADeadPath() {
        assertThat(nextProbe(SMALL_PTO, true)).isNull();
        assertThat(nextProbe(SMALL_PTO, true)).as("a probe unanswered for a whole period").contains("the path is dead")
                .contains("1000 ms after a keep-alive probe");
    }

    @Test
    void aProbeTheStackHoldsBackHasNotTestedThePath() {
        assertThat(nextProbe(SMALL_PTO, false)).isNull();
        assertThat(nextProbe(SMALL_PTO, false)).as("nothing left since the probe was asked for").isNull();
        assertThat(nextProbe(SMALL_PTO, true)).as("still nothing left").isNull();
        assertThat(nextProbe(SMALL_PTO, true)).as("silent for a period since a probe left")
                .contains("the path is dead").contains("3000 ms after a keep-alive probe, 999 ms after it left");
    }

    @Test
    void aSlowServersAnswerIsAwaitedForThreeProbeTimeouts() {
        long slowPto = TimeUnit.MILLISECONDS.toNanos(900);
        assertThat(nextProbe(slowPto, true)).isNull();
        assertThat(nextProbe(slowPto, true)).as("1 s of silence, 3 PTOs are 2.7 s").isNull();
        assertThat(nextProbe(slowPto, true)).as("2 s").isNull();
        assertThat(nextProbe(slowPto, true)).as("3 s").contains("the path is dead").contains("at least 2700 ms");
    }

    @Test
    void anAnswerRestartsTheWatchFromTheNextProbe() {
        assertThat(nextProbe(SMALL_PTO, true)).isNull();
        received = now + 2;
        assertThat(nextProbe(SMALL_PTO, true)).isNull();
        assertThat(nextProbe(SMALL_PTO, true)).contains("1000 ms after a keep-alive probe");
    }

    @Test
    void aCheckThatRunsLateJudgesNothingAndWatchesAfresh() {
        assertThat(nextProbe(SMALL_PTO, true)).isNull();
        now += PERIOD; // the process stood still for a period: the server's answer may be unread
        assertThat(nextProbe(SMALL_PTO, true)).as("a check two periods after the last").isNull();
        assertThat(nextProbe(SMALL_PTO, true)).as("the probe sent at the late check, unanswered for a period")
                .contains("the path is dead").contains("1000 ms after a keep-alive probe");
    }
}
