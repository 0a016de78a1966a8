// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Retry tokens alone: what a returned token must match, and what refuses it. */
@ExtendWith(LeakCheck.class)
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class RetryTokensTest {
    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);
    private static final byte[] ODCID = {1, 2, 3, 4, 5, 6, 7, 8};

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final RetryTokens tokens = RetryTokens.create(new SecureRandom(), Duration.ofSeconds(10), now::get);
    private final ByteBuf token = Unpooled.buffer();

    @AfterEach
    void release() {
        token.release();
    }

    @Test
    void aTokenReturnedInTimeFromTheSameAddressAndPortIsValidAndCarriesTheOriginalDestinationId() {
        write(tokens, CLIENT);
        now.addAndGet(TimeUnit.SECONDS.toNanos(10));

        int offset = tokens.validateToken(token, CLIENT);

        assertThat(offset).as("where the original destination ID starts").isPositive();
        byte[] odcid = new byte[token.readableBytes() - offset];
        token.getBytes(offset, odcid);
        assertThat(odcid).isEqualTo(ODCID);
        assertThat(token.readableBytes()).isLessThanOrEqualTo(tokens.maxTokenLength());
    }

    @Test
    void aTokenReturnedAfterItsExpiryIsRefused() {
        write(tokens, CLIENT);
        now.addAndGet(TimeUnit.SECONDS.toNanos(10) + 1);

        assertThat(tokens.validateToken(token, CLIENT)).isEqualTo(-1);
    }

    @Test
    void aTokenFromAnotherAddressOrPortIsRefused() {
        write(tokens, CLIENT);

        assertThat(tokens.validateToken(token, new InetSocketAddress("127.0.0.2", 40000))).isEqualTo(-1);
        assertThat(tokens.validateToken(token, new InetSocketAddress("127.0.0.1", 40001))).isEqualTo(-1);
        assertThat(tokens.validateToken(token, new InetSocketAddress("::1", 40000))).isEqualTo(-1);
    }

    @Test
    void aTokenWithAnyByteChangedIsRefused() {
        write(tokens, CLIENT);
        for (int i = 0; i < token.readableBytes(); i++) {
            token.setByte(i, token.getByte(i) ^ 0x01);
            assertThat(tokens.validateToken(token, CLIENT)).as("byte %d flipped", i).isEqualTo(-1);
            token.setByte(i, token.getByte(i) ^ 0x01);
        }
        assertThat(tokens.validateToken(token, CLIENT)).as("restored").isPositive();
    }

    @Test
    void aTokenOfAnotherListenerOrAForgedOneIsRefused() {
        RetryTokens other = RetryTokens.create(new SecureRandom(), Duration.ofSeconds(10), now::get);
        write(other, CLIENT);
        assertThat(tokens.validateToken(token, CLIENT)).as("another key's token").isEqualTo(-1);

        byte[] random = new byte[tokens.maxTokenLength()];
        new SecureRandom().nextBytes(random);
        assertThat(validate(random)).as("random bytes").isEqualTo(-1);
        assertThat(validate(new byte[0])).as("empty").isEqualTo(-1);
        assertThat(validate(new byte[tokens.maxTokenLength() + 1])).as("too long").isEqualTo(-1);
    }

    private int validate(byte[] bytes) {
        ByteBuf b = Unpooled.wrappedBuffer(bytes);
        try {
            return tokens.validateToken(b, CLIENT);
        } finally {
            b.release();
        }
    }

    private void write(RetryTokens from, InetSocketAddress client) {
        ByteBuf dcid = Unpooled.wrappedBuffer(ODCID);
        assertThat(from.writeToken(token, dcid, client)).as("a token is written, so the codec sends a Retry").isTrue();
        assertThat(dcid.readableBytes()).as("the destination ID is not consumed").isEqualTo(ODCID.length);
    }
}
