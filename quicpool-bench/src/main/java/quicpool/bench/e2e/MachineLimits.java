// SPDX-License-Identifier: Apache-2.0
package quicpool.bench.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import quicpool.api.spi.QuicSettings;

/**
 * What this machine allows an encrypted datagram stream on loopback, measured in the same run as
 * the transports, so that a transport's bulk rate can be read as a fraction of it:
 *
 * <ul>
 *   <li><b>AES-128-GCM, one core</b>: one thread sealing datagram-sized packets, each with its
 *       own nonce, as a QUIC stack seals each packet (the JDK's cipher, which Kwik uses; quiche
 *       uses BoringSSL's);</li>
 *   <li><b>UDP blast</b>: one thread sending {@value #DATAGRAM}-byte datagrams to another on
 *       loopback as fast as it can, counted where they are received;</li>
 *   <li><b>sealed UDP blast</b>: the same, with each datagram sealed before it is sent and opened
 *       (decrypted and its tag checked) after it is received: the least work a QUIC stack does per
 *       packet, without acknowledgements, flow control, loss recovery or streams.</li>
 * </ul>
 *
 * <p>MB are 10^6 bytes a second of wall time, of the bytes a datagram carries for its user: the
 * whole payload in the plain blast, the payload less the 8-byte counter and the 16-byte tag when
 * sealed. Both blast threads are platform threads; on loopback the kernel queues a datagram at the
 * receiving socket within its sender's system call, so that work counts on the sender's thread.
 *
 * <pre>java -cp benchmarks.jar quicpool.bench.e2e.MachineLimits [measured seconds >= 1, default 3]</pre>
 */
public final class MachineLimits {
    private static final String USAGE = "MachineLimits [measured seconds >= 1, default 3]";
    /** The largest UDP payload the Netty transport sends (what quic-go sends too). */
    static final int DATAGRAM = 1452;
    private static final int COUNTER = Long.BYTES;
    private static final int TAG_BITS = 128;
    private static final int TAG = TAG_BITS / 8;
    /** What a sealed datagram carries for its user. */
    static final int SEALED_PAYLOAD = DATAGRAM - COUNTER - TAG;

    /** The three limits, in MB a second. */
    record Limits(double aesGcmMBps, double udpMBps, double sealedUdpMBps) {
    }

    private MachineLimits() {
    }

    public static void main(String[] args) {
        Report.run("MachineLimits", () -> {
            Args a = new Args(args, USAGE);
            int seconds = a.integer(0, "measured seconds", 3, 1);
            Report.line("Machine limits on loopback, %d-byte datagrams, 1 s warm-up then %d s each; %s", DATAGRAM,
                    seconds, Report.machine());
            Limits l = measure(Duration.ofSeconds(1), Duration.ofSeconds(seconds));
            Report.line("");
            Report.line("| AES-128-GCM, one core, MB/s | UDP blast MB/s | sealed UDP blast MB/s |");
            Report.line("| ---: | ---: | ---: |");
            Report.line("| %.1f | %.1f | %.1f |", l.aesGcmMBps(), l.udpMBps(), l.sealedUdpMBps());
            Report.line("");
            Report.line("After: %s", Report.machine());
        });
    }

    /** Measures the three limits one after another, each after its own warm-up. */
    static Limits measure(Duration warmup, Duration measured) throws Exception {
        double aes = aesGcm(warmup, measured);
        double udp = blast(false, warmup, measured);
        double sealed = blast(true, warmup, measured);
        return new Limits(aes, udp, sealed);
    }

    private static double aesGcm(Duration warmup, Duration measured) throws GeneralSecurityException {
        Sealer sealer = new Sealer(new byte[16]);
        byte[] plain = payload();
        byte[] packet = new byte[DATAGRAM];
        long counter = 0;
        long until = System.nanoTime() + warmup.toNanos();
        while (System.nanoTime() < until) {
            sealer.seal(counter++, plain, packet);
        }
        long packets = 0;
        long t0 = System.nanoTime();
        long end = t0 + measured.toNanos();
        long now;
        do {
            for (int i = 0; i < 64; i++) {
                sealer.seal(counter++, plain, packet);
            }
            packets += 64;
            now = System.nanoTime();
        } while (now < end);
        return mbPerSecond(packets * SEALED_PAYLOAD, now - t0);
    }

    /** A blast from one thread to another; MB a second received (and opened, if {@code sealed}). */
    private static double blast(boolean sealed, Duration warmup, Duration measured) throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (DatagramChannel in = DatagramChannel.open(); DatagramChannel out = DatagramChannel.open()) {
            in.setOption(StandardSocketOptions.SO_RCVBUF, QuicSettings.UDP_SOCKET_BUFFER);
            out.setOption(StandardSocketOptions.SO_SNDBUF, QuicSettings.UDP_SOCKET_BUFFER);
            in.bind(new InetSocketAddress(loopback, 0));
            out.bind(new InetSocketAddress(loopback, 0));
            out.connect(in.getLocalAddress());
            in.connect(out.getLocalAddress());
            byte[] key = new byte[16];
            new SplittableRandom(3).nextBytes(key);
            Receiver receiver = new Receiver(in, sealed ? new Sealer(key) : null);
            Sender sender = new Sender(out, sealed ? new Sealer(key) : null);
            Thread r = new Thread(receiver, "limits-receiver");
            Thread s = new Thread(sender, "limits-sender");
            r.setDaemon(true);
            s.setDaemon(true);
            r.start();
            s.start();
            try {
                waitFor(warmup);
                long bytes0 = receiver.bytes.get();
                long t0 = System.nanoTime();
                waitFor(measured);
                long bytes = receiver.bytes.get() - bytes0;
                long elapsed = System.nanoTime() - t0;
                receiver.failure();
                sender.failure();
                return mbPerSecond(bytes, elapsed);
            } finally {
                sender.stop = true;
                s.join(TimeUnit.SECONDS.toMillis(10));
                in.close(); // ends the receiver's blocking receive
                r.join(TimeUnit.SECONDS.toMillis(10));
            }
        }
    }

    /** The measurement window itself: parks until {@code d} has passed. */
    private static void waitFor(Duration d) {
        long end = System.nanoTime() + d.toNanos();
        for (long left; (left = end - System.nanoTime()) > 0; ) {
            LockSupport.parkNanos(left);
        }
    }

    private static double mbPerSecond(long bytes, long nanos) {
        return bytes / (nanos / 1e9) / 1e6;
    }

    private static byte[] payload() {
        byte[] plain = new byte[SEALED_PAYLOAD];
        new SplittableRandom(1).nextBytes(plain);
        return plain;
    }

    /**
     * Seals and opens datagrams with AES-128-GCM: an 8-byte counter in the clear, then the
     * ciphertext and its tag; the nonce is the counter, so no two packets share one. One thread.
     */
    static final class Sealer {
        private final SecretKeySpec key;
        private final Cipher cipher;
        private final byte[] nonce = new byte[12];

        Sealer(byte[] key) throws GeneralSecurityException {
            this.key = new SecretKeySpec(key, "AES");
            this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
        }

        /** Seals {@code plain} ({@value #SEALED_PAYLOAD} bytes) into {@code packet} under {@code counter}. */
        void seal(long counter, byte[] plain, byte[] packet) throws GeneralSecurityException {
            ByteBuffer.wrap(packet).putLong(0, counter);
            cipher.init(Cipher.ENCRYPT_MODE, key, nonce(counter));
            cipher.doFinal(plain, 0, SEALED_PAYLOAD, packet, COUNTER);
        }

        /**
         * Opens {@code length} bytes of {@code packet} into {@code plain}; returns the bytes opened.
         *
         * @throws javax.crypto.AEADBadTagException if the packet is not one {@link #seal} made with this key
         */
        int open(byte[] packet, int length, byte[] plain) throws GeneralSecurityException {
            if (length < COUNTER + TAG) {
                throw new GeneralSecurityException("a sealed datagram has at least " + (COUNTER + TAG)
                        + " bytes, got " + length);
            }
            long counter = ByteBuffer.wrap(packet).getLong(0);
            cipher.init(Cipher.DECRYPT_MODE, key, nonce(counter));
            return cipher.doFinal(packet, COUNTER, length - COUNTER, plain, 0);
        }

        private GCMParameterSpec nonce(long counter) {
            ByteBuffer.wrap(nonce).putLong(4, counter);
            return new GCMParameterSpec(TAG_BITS, nonce);
        }
    }

    /** One end of a blast: its channel, its sealer (null for a plain blast) and what ended it. */
    private abstract static class BlastEnd implements Runnable {
        final DatagramChannel channel;
        final Sealer sealer;
        private volatile Exception failed;

        BlastEnd(DatagramChannel channel, Sealer sealer) {
            this.channel = channel;
            this.sealer = sealer;
        }

        @Override
        public final void run() {
            try {
                blast();
            } catch (ClosedChannelException e) {
                // the end of the blast
            } catch (IOException | GeneralSecurityException e) {
                failed = e;
            }
        }

        abstract void blast() throws IOException, GeneralSecurityException;

        /** Throws what ended this end's loop, if anything but the end of the blast did. */
        void failure() throws Exception {
            if (failed != null) {
                throw failed;
            }
        }
    }

    /** Sends datagrams until stopped, sealing each first if given a sealer. */
    private static final class Sender extends BlastEnd {
        volatile boolean stop;

        Sender(DatagramChannel out, Sealer sealer) {
            super(out, sealer);
        }

        @Override
        void blast() throws IOException, GeneralSecurityException {
            byte[] plain = payload();
            byte[] packet = new byte[DATAGRAM];
            ByteBuffer buf = ByteBuffer.allocateDirect(DATAGRAM);
            for (long counter = 0; !stop; counter++) {
                if (sealer != null) {
                    sealer.seal(counter, plain, packet);
                }
                buf.clear();
                buf.put(packet);
                buf.flip();
                channel.write(buf);
            }
        }
    }

    /** Receives datagrams until its channel closes, opening each if given a sealer; counts the bytes. */
    private static final class Receiver extends BlastEnd {
        final AtomicLong bytes = new AtomicLong();

        Receiver(DatagramChannel in, Sealer sealer) {
            super(in, sealer);
        }

        @Override
        void blast() throws IOException, GeneralSecurityException {
            ByteBuffer buf = ByteBuffer.allocateDirect(DATAGRAM + 1);
            byte[] packet = new byte[DATAGRAM];
            byte[] plain = new byte[DATAGRAM];
            long total = 0;
            for (;;) {
                buf.clear();
                int n = channel.read(buf);
                if (sealer != null) {
                    buf.flip();
                    buf.get(packet, 0, n);
                    n = sealer.open(packet, n, plain);
                }
                total += n;
                bytes.lazySet(total);
            }
        }
    }
}
