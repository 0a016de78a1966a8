// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.netty;

import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.X509TrustManager;

/**
 * Client TLS contexts, one per (trust manager, ALPN), reused across dials: a pool dials many
 * connections with the same trust manager, and each context owns a native BoringSSL context that
 * Netty frees only on finalization.
 */
final class ClientSslContexts {

    private static final int MAX_CACHED = 8;

    /** A context and the recorder its trust manager reports refusals to. */
    record Entry(QuicSslContext context, RefusalRecordingTrustManager trustManager) {
    }

    private record Key(X509TrustManager trustManager, String alpn) {
        @Override
        public boolean equals(Object o) {
            // Identity of the trust manager: two equal-looking managers may judge differently.
            return o instanceof Key && ((Key) o).trustManager == trustManager && ((Key) o).alpn.equals(alpn);
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(trustManager) * 31 + alpn.hashCode();
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Key, Entry> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Entry> eldest) {
            return size() > MAX_CACHED;
        }
    };

    Entry forDial(X509TrustManager trustManager, String alpn) {
        Key key = new Key(trustManager, alpn);
        lock.lock();
        try {
            Entry entry = cache.get(key);
            if (entry == null) {
                entry = create(trustManager, alpn);
                cache.put(key, entry);
            }
            return entry;
        } finally {
            lock.unlock();
        }
    }

    private static Entry create(X509TrustManager trustManager, String alpn) {
        RefusalRecordingTrustManager recording = new RefusalRecordingTrustManager(trustManager);
        QuicSslContext context = QuicSslContextBuilder.forClient()
                .trustManager(recording)
                .applicationProtocols(alpn)
                // The dial's trust manager is the sole judge, hostname included: Netty must not
                // add its own endpoint identification on top.
                .endpointIdentificationAlgorithm(null)
                .build();
        return new Entry(context, recording);
    }
}
