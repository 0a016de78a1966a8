// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik.workaround;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A handshake's deadline ends only a handshake that is still in progress. It once also ended
 * completed connections: the listener armed the deadline after the server's answer had left, so
 * a handshake that completed meanwhile (the sender thread preempted on a busy machine) found no
 * deadline to cancel, and the one armed after it ended the healthy connection at the bound; the
 * client then heard nothing and its keep-alive ended it ("no packet from the server for 1000 ms
 * after a keep-alive probe ... 0 declared lost"), a few times per full Kwik test run.
 */
@Timeout(10)
class HandshakeBoundTest {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40001);
    private static final Duration BOUND = Duration.ofMillis(200);

    @Test
    void aHandshakeNotCompletedWithinTheBoundIsEnded() throws Exception {
        try (HandshakeBound bound = new HandshakeBound(BOUND, "test-handshake-bound")) {
            CountDownLatch ended = new CountDownLatch(1);
            bound.started(CLIENT, c -> ended.countDown());
            assertThat(ended.await(5, TimeUnit.SECONDS)).as("the deadline ended the handshake").isTrue();
        }
    }

    @Test
    void aDeadlineArmedAfterItsHandshakeCompletedEndsNothing() throws Exception {
        try (HandshakeBound bound = new HandshakeBound(BOUND, "test-handshake-bound")) {
            CountDownLatch ended = new CountDownLatch(1);
            bound.completed(CLIENT);
            bound.started(CLIENT, c -> ended.countDown()); // a late datagram with an Initial packet
            assertThat(ended.await(BOUND.toMillis() * 5, TimeUnit.MILLISECONDS))
                    .as("a deadline for a completed handshake fired").isFalse();
        }
    }

    @Test
    void aCompletedHandshakesDeadlineIsCancelled() throws Exception {
        try (HandshakeBound bound = new HandshakeBound(BOUND, "test-handshake-bound")) {
            CountDownLatch ended = new CountDownLatch(1);
            bound.started(CLIENT, c -> ended.countDown());
            bound.completed(CLIENT);
            assertThat(ended.await(BOUND.toMillis() * 5, TimeUnit.MILLISECONDS))
                    .as("the deadline of a completed handshake fired").isFalse();
        }
    }

    /**
     * A late datagram's deadline and the completion race on two threads (the sender's and the
     * receiver's): whichever runs first, no deadline is left armed once the handshake completed.
     */
    @Test
    void noDeadlineOutlivesACompletionThatRacesItsArming() throws Exception {
        int rounds = 20_000;
        try (HandshakeBound bound = new HandshakeBound(Duration.ofMinutes(1), "test-handshake-bound")) {
            CyclicBarrier together = new CyclicBarrier(2);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread sender = new Thread(() -> {
                try {
                    for (int i = 0; i < rounds; i++) {
                        together.await(5, TimeUnit.SECONDS);
                        bound.started(client(i), c -> { });
                    }
                } catch (Exception e) {
                    failure.set(e);
                }
            }, "test-sender");
            sender.start();
            for (int i = 0; i < rounds; i++) {
                together.await(5, TimeUnit.SECONDS);
                bound.completed(client(i));
            }
            sender.join(TimeUnit.SECONDS.toMillis(5));
            assertThat(failure.get()).isNull();
            assertThat(bound.armed()).as("deadlines armed for completed handshakes").isZero();
        }
    }

    private static InetSocketAddress client(int i) {
        return new InetSocketAddress("127.0.0.1", 1024 + i % 60_000);
    }
}
