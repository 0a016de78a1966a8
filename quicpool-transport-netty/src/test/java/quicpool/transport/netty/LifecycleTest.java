// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import quicpool.api.spi.ListenSpec;
import quicpool.api.spi.TransportConnection;
import quicpool.api.spi.TransportStream;
import quicpool.compliance.RequiresTransport;

@RequiresTransport("netty")
@ExtendWith(LeakCheck.class)
@Timeout(60)
class LifecycleTest {

    @Test
    void noNettyThreadIsLeftOnceEverythingIsClosed() throws Exception {
        Loopback loop = new Loopback();
        TransportConnection client = loop.dial();
        TransportStream stream = client.openStream(Duration.ofSeconds(5));
        stream.outputStream().write(1);
        TransportStream server = loop.nextPeerStream();
        assertThat(server.inputStream().read()).isEqualTo(1);
        List<Thread> threads = threadsOf(loop.transport.eventLoops());
        assertThat(threads).isNotEmpty().allMatch(t -> t.getName().startsWith(SharedEventLoops.THREAD_PREFIX));
        assertThat(threads).allMatch(Thread::isDaemon);

        stream.close();
        server.close();
        loop.close();

        awaitTermination(loop.transport.eventLoops());
        for (Thread t : threads) {
            t.join(5_000);
            assertThat(t.isAlive()).as("%s still alive", t.getName()).isFalse();
        }
    }

    @Test
    void aClosedListenerServesItsConnectionsButNoNewOnes() throws Exception {
        Loopback loop = new Loopback();
        TransportConnection client = loop.dial();
        TransportConnection accepted = loop.nextAccepted();
        loop.listener().close();
        loop.listener().close(); // idempotent

        TransportStream stream = client.openStream(Duration.ofSeconds(5));
        stream.outputStream().write(5);
        TransportStream server = loop.nextPeerStream();
        assertThat(server.inputStream().read()).isEqualTo(5);
        stream.close();
        server.close();

        TransportConnection late = loop.dial();
        CountDownLatch lateClosed = new CountDownLatch(1);
        late.onClose(lateClosed::countDown);
        assertThat(lateClosed.await(5, TimeUnit.SECONDS)).as("a connection after close is closed at once").isTrue();

        List<Thread> threads = threadsOf(loop.transport.eventLoops());
        accepted.close(0, "done");
        client.close(0, "done");
        loop.close();
        awaitTermination(loop.transport.eventLoops());
        for (Thread t : threads) {
            t.join(5_000);
            assertThat(t.isAlive()).isFalse();
        }
    }

    @Test
    void unusableKeyOrAddressFailsListenWithTheReason() throws Exception {
        NettyTransport transport = new NettyTransport();
        InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
        assertThatThrownBy(() -> transport.listen(new ListenSpec(any, Loopback.CERT.keyStore(), "nope",
                Loopback.CERT.password(), Loopback.settings()), c -> null))
                .isInstanceOf(IOException.class).hasMessageContaining("\"nope\"");
        assertThatThrownBy(() -> transport.listen(new ListenSpec(any, Loopback.CERT.keyStore(),
                Loopback.CERT.alias(), "wrong".toCharArray(), Loopback.settings()), c -> null))
                .isInstanceOf(IOException.class).hasMessageContaining("password");

        try (Loopback loop = new Loopback()) {
            InetSocketAddress taken = loop.listener().localAddress();
            assertThatThrownBy(() -> transport.listen(new ListenSpec(taken, Loopback.CERT.keyStore(),
                    Loopback.CERT.alias(), Loopback.CERT.password(), Loopback.settings()), c -> null))
                    .isInstanceOf(IOException.class).hasMessageContaining(taken.toString());
        }
        awaitTermination(transport.eventLoops());
        assertThat(transport.eventLoops().users()).isZero();
    }

    /** The threads of the transport's current event-loop group. */
    static List<Thread> threadsOf(SharedEventLoops loops) throws Exception {
        List<Thread> threads = new ArrayList<>();
        try (SharedEventLoops.Lease lease = loops.acquire()) {
            for (var executor : lease.group()) {
                threads.add(executor.submit(Thread::currentThread).get(5, TimeUnit.SECONDS));
            }
        }
        return threads;
    }

    /** Waits, bounded, until the last user let go and the group has terminated. */
    static void awaitTermination(SharedEventLoops loops) throws Exception {
        loops.whenIdle().get(10, TimeUnit.SECONDS);
        assertThat(loops.users()).isZero();
    }
}
