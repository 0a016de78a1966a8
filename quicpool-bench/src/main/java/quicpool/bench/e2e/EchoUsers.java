// SPDX-License-Identifier: Apache-2.0
package quicpool.bench.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * The users of {@link TunnelLatency}: {@code concurrency} threads, each connecting over TCP to an
 * echo service (directly or through a tunnel) one user after another until {@code users}
 * connections have been made. A user connects, sends {@value #PAYLOAD} random bytes, half-closes,
 * reads the echo to its end and checks it; what the tunnel demo's users do.
 */
final class EchoUsers {
    static final int PAYLOAD = 16 * 1024;

    private EchoUsers() {
    }

    /**
     * One round's figures.
     *
     * @param total     nanoseconds from before the connect to the echo's end, per successful user
     * @param firstByte nanoseconds from before the connect to the first echoed byte, per successful user
     * @param wallNanos from the first user's start to the last user's end
     * @param failed    users whose connection failed or whose echo differed
     * @param firstFailure the first of those failures, or null
     */
    record Round(Histogram total, Histogram firstByte, long wallNanos, int failed, String firstFailure) {
        long ok() {
            return total.getTotalCount();
        }
    }

    /** Runs {@code users} users, {@code concurrency} at a time, against {@code address}; returns when all ended. */
    static Round run(InetSocketAddress address, int users, int concurrency) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        List<Histogram[]> perThread = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int t = 0; t < Math.min(concurrency, users); t++) {
            Histogram[] h = {Report.histogram(), Report.histogram()};
            perThread.add(h);
            Thread thread = new Thread(() -> {
                byte[] payload = new byte[PAYLOAD];
                ThreadLocalRandom.current().nextBytes(payload);
                byte[] echo = new byte[PAYLOAD];
                while (next.getAndIncrement() < users) {
                    try {
                        oneUser(address, payload, echo, h[0], h[1]);
                    } catch (IOException | RuntimeException e) {
                        failed.incrementAndGet();
                        firstFailure.compareAndSet(null, e.toString());
                    }
                }
            }, "echo-user-" + t);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join(); // bounded: every connect and read of a user times out after Loopback.TIMEOUT
        }
        long wall = System.nanoTime() - t0;
        Histogram total = Report.histogram();
        Histogram firstByte = Report.histogram();
        for (Histogram[] h : perThread) {
            total.add(h[0]);
            firstByte.add(h[1]);
        }
        return new Round(total, firstByte, wall, failed.get(), firstFailure.get());
    }

    private static void oneUser(InetSocketAddress address, byte[] payload, byte[] echo, Histogram total,
                                Histogram firstByte) throws IOException {
        long t0 = System.nanoTime();
        try (Socket socket = new Socket()) {
            socket.connect(address, (int) Loopback.TIMEOUT.toMillis());
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) Loopback.TIMEOUT.toMillis());
            socket.getOutputStream().write(payload);
            socket.shutdownOutput();
            InputStream in = socket.getInputStream();
            int first = in.read();
            long t1 = System.nanoTime();
            if (first < 0) {
                throw new IOException("the echo ended before its first byte");
            }
            echo[0] = (byte) first;
            int n = 1 + in.readNBytes(echo, 1, PAYLOAD - 1);
            if (n < PAYLOAD || in.read() >= 0 || !Arrays.equals(payload, echo)) {
                throw new IOException("the echo of " + PAYLOAD + " bytes came back as "
                        + (n < PAYLOAD ? n + " bytes" : "different or more bytes"));
            }
            long t2 = System.nanoTime();
            total.recordValue(t2 - t0);
            firstByte.recordValue(t1 - t0);
        }
    }
}
