// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import quicpool.api.spi.TransportConnection;
import quicpool.compliance.Conditions;
import quicpool.transport.kwik.workaround.ListenerSocket;
import quicpool.transport.kwik.workaround.ListenerSocketTest;

/**
 * Datagrams that look like a client's first Initial packet but cannot be decrypted cost the Kwik
 * listener nothing: good clients connect meanwhile, and the listener closes at once with every
 * thread gone. Kwik 0.10.8 alone kept each as a connection attempt for 30 s, and the listener's
 * {@code close()} waited for them (RELIABILITY.md, bad input); {@link ListenerSocket} drops them.
 */
@Timeout(60)
class KwikUndecryptableInitialTest {

    private static final System.Logger LOG = System.getLogger("quicpool.transport.kwik.test");
    private static final int GARBAGE = 20;
    private static final int GOOD_CLIENTS = 3;
    private static final Duration BOUND = Duration.ofSeconds(10);

    private final Loopback loopback = new Loopback();

    @AfterEach
    void tearDown() {
        loopback.close();
    }

    @Test
    void undecryptableInitialsAreDroppedGoodClientsConnectAndTheListenerClosesAtOnce() throws Exception {
        Threads threads = Threads.snapshot();
        AtomicInteger accepted = new AtomicInteger();
        KwikListener listener = (KwikListener) loopback.listen(connection -> {
            accepted.incrementAndGet();
            return stream -> stream.close();
        });
        InetSocketAddress server = listener.localAddress();

        Random random = new Random(7);
        try (DatagramSocket raw = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            for (int i = 0; i < GARBAGE; i++) {
                byte[] garbage = ListenerSocketTest.headerOnlyInitial(random);
                raw.send(new DatagramPacket(garbage, garbage.length, server));
            }
        }
        Conditions.await("the listener dropped the " + GARBAGE + " undecryptable Initials", BOUND,
                () -> listener.droppedInitials() == GARBAGE, listener::droppedInitials);

        List<TransportConnection> good = new ArrayList<>();
        for (int i = 0; i < GOOD_CLIENTS; i++) {
            good.add(loopback.connect(listener));
        }
        Conditions.await("the listener accepted " + GOOD_CLIENTS + " good clients", BOUND,
                () -> accepted.get() == GOOD_CLIENTS, () -> accepted.get() + " accepted, Initials dropped "
                        + listener.droppedInitials());
        assertThat(listener.droppedInitials()).as("Initial packets dropped, good clients' included")
                .isEqualTo(GARBAGE);
        good.forEach(c -> c.close(0, "done"));

        long closing = System.nanoTime();
        listener.close();
        Duration closeTook = Duration.ofNanos(System.nanoTime() - closing);

        List<Thread> left = threads.awaitStartedEnded(BOUND);
        LOG.log(System.Logger.Level.INFO, () -> GARBAGE + " undecryptable Initials dropped, " + GOOD_CLIENTS
                + " good clients accepted; listener close() " + closeTook.toMillis() + " ms; threads left "
                + Threads.describe(left));
        assertThat(left).as("threads alive after close: %s", Threads.describe(left)).isEmpty();
        assertThat(closeTook).as("the listener's close() after %d undecryptable Initials", GARBAGE)
                .isLessThan(Duration.ofSeconds(2));
    }
}
