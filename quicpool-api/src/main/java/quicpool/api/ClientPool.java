package quicpool.api;

/**
 * The dialing end: opens {@link #shardCount()} QUIC connections to the server and keeps
 * {@link #capacity()} handshaken streams ready on them, refilling every {@link #interval()}.
 *
 * <p>Created with {@link QuicPools#client()}. Thread-safe.
 */
public interface ClientPool extends Pool {
}
