// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A connection's end fires its callbacks once, and says why as precisely as Kwik lets it know. */
@Timeout(10)
class CloseSignalTest {

    @Test
    void theFirstReasonCountsAndCallbacksRunOnce() {
        CloseSignal ended = new CloseSignal();
        AtomicInteger runs = new AtomicInteger();
        ended.register(runs::incrementAndGet);
        assertThat(ended.fire("no packet from the server")).isTrue();
        assertThat(ended.fire("IdleTimeout")).isFalse();
        assertThat(ended.reason()).contains("no packet from the server");
        assertThat(runs).hasValue(1);
    }

    @Test
    void kwiksReasonAfterItClosedTheSocketSaysWhy() {
        CloseSignal ended = new CloseSignal();
        AtomicInteger runs = new AtomicInteger();
        ended.register(runs::incrementAndGet);
        assertThat(ended.fire()).isTrue(); // the socket closed first
        assertThat(ended.reason()).contains("socket closed");
        assertThat(ended.fire("ConnectionLost: No error")).isFalse();
        assertThat(ended.reason()).contains("socket closed (ConnectionLost: No error)");
        assertThat(ended.fire("later")).isFalse();
        assertThat(ended.reason()).as("refined once").contains("socket closed (ConnectionLost: No error)");
        assertThat(runs).hasValue(1);
    }
}
