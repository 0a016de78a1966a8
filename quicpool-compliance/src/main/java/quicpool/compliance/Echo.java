// SPDX-License-Identifier: Apache-2.0
package quicpool.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import quicpool.api.StreamConn;

/** One echo through a pair of streams, checked by SHA-256 at both ends. */
public final class Echo {
    private static final Duration READ_BOUND = Duration.ofSeconds(20);

    private Echo() {
    }

    /**
     * {@code sender} writes {@code bytes} random bytes (from {@code seed}) and half-closes;
     * {@code echoer} sends back what it reads; the SHA-256 of what the echoer saw and of what came
     * back must both equal the payload's. Reads are bounded; the streams are not closed here.
     */
    public static void verify(StreamConn sender, StreamConn echoer, int bytes, long seed, ExecutorService workers)
            throws Exception {
        verify(sender, echoer, bytes, seed, workers, READ_BOUND);
    }

    /** As {@link #verify(StreamConn, StreamConn, int, long, ExecutorService)}, each read bounded by {@code readBound}. */
    public static void verify(StreamConn sender, StreamConn echoer, int bytes, long seed, ExecutorService workers,
                              Duration readBound) throws Exception {
        byte[] payload = new byte[bytes];
        new Random(seed).nextBytes(payload);
        sender.setReadTimeout(readBound);
        echoer.setReadTimeout(readBound);
        Future<byte[]> echoed = workers.submit(() -> {
            DigestInputStream in = new DigestInputStream(echoer.inputStream(), sha256());
            in.transferTo(echoer.outputStream());
            echoer.outputStream().close();
            return in.getMessageDigest().digest();
        });
        Future<?> writer = workers.submit(() -> {
            sender.outputStream().write(payload);
            sender.outputStream().close();
            return null;
        });
        DigestInputStream back = new DigestInputStream(sender.inputStream(), sha256());
        long n = back.transferTo(OutputStream.nullOutputStream());
        writer.get(60, TimeUnit.SECONDS);
        byte[] sent = sha256().digest(payload);
        assertThat(n).as("bytes echoed back").isEqualTo(bytes);
        assertThat(echoed.get(60, TimeUnit.SECONDS)).as("SHA-256 at the echoing end").isEqualTo(sent);
        assertThat(back.getMessageDigest().digest()).as("SHA-256 echoed back").isEqualTo(sent);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
