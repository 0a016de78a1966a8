// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.quic.QuicTokenHandler;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.function.LongSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stateless QUIC Retry tokens: Netty's codec sends a Retry with one of these to a client's first
 * Initial, and starts a connection only for an Initial that returns a valid one.
 *
 * <p>A token is {@code expiry (8 bytes) | HMAC-SHA256 (32 bytes) | original destination ID}; the
 * MAC covers the client's IP address, its port, the expiry and the original destination ID, under
 * a key drawn from {@link SecureRandom} for each instance (each listener). A token is refused when
 * its MAC does not match (forged, altered, another listener's, or returned from another address or
 * port) or when its expiry has passed. Nothing is stored between the Retry and the token's return.
 *
 * <p>Thread-safe: each call works on its own copy of the keyed MAC.
 */
final class RetryTokens implements QuicTokenHandler {

    /** How long a token is accepted after its Retry: ample for a round trip, short for a replay. */
    static final Duration LIFETIME = Duration.ofSeconds(10);

    private static final String ALGORITHM = "HmacSHA256";
    private static final int EXPIRY_LENGTH = Long.BYTES;
    private static final int MAC_LENGTH = 32;
    private static final int HEADER_LENGTH = EXPIRY_LENGTH + MAC_LENGTH;
    /** RFC 9000 17.2: a connection ID has at most 20 bytes. */
    private static final int MAX_CID_LENGTH = 20;

    private final Mac keyed;
    private final long lifetimeNanos;
    private final LongSupplier nanoClock;

    private RetryTokens(byte[] key, Duration lifetime, LongSupplier nanoClock) {
        try {
            keyed = Mac.getInstance(ALGORITHM);
            keyed.init(new SecretKeySpec(key, ALGORITHM));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK provides no " + ALGORITHM + ", which every Java 17 runtime has", e);
        }
        this.lifetimeNanos = lifetime.toNanos();
        this.nanoClock = nanoClock;
    }

    /** Tokens under a new random key, valid for {@link #LIFETIME}. */
    static RetryTokens withRandomKey() {
        return create(new SecureRandom(), LIFETIME, System::nanoTime);
    }

    /** For tests: the key from {@code random}, the time from {@code nanoClock}. */
    static RetryTokens create(SecureRandom random, Duration lifetime, LongSupplier nanoClock) {
        byte[] key = new byte[MAC_LENGTH];
        random.nextBytes(key);
        return new RetryTokens(key, lifetime, nanoClock);
    }

    @Override
    public boolean writeToken(ByteBuf out, ByteBuf dcid, InetSocketAddress address) {
        long expiry = nanoClock.getAsLong() + lifetimeNanos;
        byte[] odcid = new byte[dcid.readableBytes()];
        dcid.getBytes(dcid.readerIndex(), odcid);
        out.writeLong(expiry).writeBytes(mac(address, expiry, odcid)).writeBytes(odcid);
        return true;
    }

    @Override
    public int validateToken(ByteBuf token, InetSocketAddress address) {
        int start = token.readerIndex();
        int length = token.readableBytes();
        if (length < HEADER_LENGTH || length > maxTokenLength()) {
            return -1;
        }
        long expiry = token.getLong(start);
        if (nanoClock.getAsLong() - expiry > 0) {
            return -1;
        }
        byte[] claimed = new byte[MAC_LENGTH];
        token.getBytes(start + EXPIRY_LENGTH, claimed);
        byte[] odcid = new byte[length - HEADER_LENGTH];
        token.getBytes(start + HEADER_LENGTH, odcid);
        if (!MessageDigest.isEqual(claimed, mac(address, expiry, odcid))) {
            return -1;
        }
        // The codec reads the original destination ID from this index of the token to its end (it passes
        // tokens at reader index 0).
        return start + HEADER_LENGTH;
    }

    @Override
    public int maxTokenLength() {
        return HEADER_LENGTH + MAX_CID_LENGTH;
    }

    private byte[] mac(InetSocketAddress address, long expiry, byte[] odcid) {
        Mac mac;
        try {
            mac = (Mac) keyed.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's " + ALGORITHM + " cannot be cloned", e);
        }
        byte[] ip = address.getAddress().getAddress();
        mac.update((byte) ip.length);
        mac.update(ip);
        int port = address.getPort();
        mac.update((byte) (port >>> 8));
        mac.update((byte) port);
        for (int shift = 56; shift >= 0; shift -= 8) {
            mac.update((byte) (expiry >>> shift));
        }
        mac.update(odcid);
        return mac.doFinal();
    }
}
