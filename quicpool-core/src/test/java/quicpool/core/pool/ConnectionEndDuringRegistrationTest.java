// SPDX-License-Identifier: Apache-2.0
package quicpool.core.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import quicpool.api.StreamConn;
import quicpool.api.spi.QuicTransport;
import quicpool.api.spi.TransportConnection;
import quicpool.api.spi.TransportStream;
import quicpool.compliance.Conditions;

/**
 * A client stream whose connection ends after the server answered its ID but before the pool
 * registered it is not left idle: the connection's eviction has already swept the idle streams
 * without it, so the pool checks the connection once the stream is registered. Left idle, it would
 * count as held capacity on a connection that is gone, and be handed out dead.
 */
@Timeout(30)
class ConnectionEndDuringRegistrationTest {
    private static final Duration BOUND = Duration.ofSeconds(10);

    @Test
    void aStreamRegisteredAfterItsConnectionEndedIsEvicted() throws Exception {
        AtomicBoolean struck = new AtomicBoolean();
        try (PoolPair p = new PoolPair(s -> s, c -> c)) {
            QuicTransport endsOnFirstId = delegate(QuicTransport.class, p.transport, (method, args, result) ->
                    method.equals("connect") ? endingOnFirstId((TransportConnection) result, struck) : result,
                    (method, args) -> { });
            try (var client = quicpool.api.QuicPools.client()
                    .serverAddress(p.server.localAddress())
                    .hostname("localhost")
                    .pinCertificate(PoolPair.CERT.certificate())
                    .capacity(1, 1)
                    .refillInterval(Duration.ofMillis(10), Duration.ofMillis(50))
                    .transport(endsOnFirstId)
                    .build()) {
                client.start();
                Conditions.await("the first connection ended as its first stream's ID arrived", BOUND, struck::get);
                Conditions.await("the stream of the ended connection evicted, one on a new connection held", BOUND,
                        () -> client.stats().evicted() >= 1 && client.active() == 1, client::stats);
                try (StreamConn s = p.server.incomingGet(BOUND); StreamConn c = client.outgoingGet(s.id(), BOUND)) {
                    c.outputStream().write(42);
                    c.outputStream().flush();
                    assertThat(s.inputStream().read()).isEqualTo(42);
                }
            }
        }
    }

    /**
     * The first stream's ID read ends the connection, and returns only once the pool's close
     * callbacks (its eviction of the connection's idle streams) have run.
     */
    private static TransportConnection endingOnFirstId(TransportConnection connection, AtomicBoolean struck) {
        CountDownLatch poolCallbacksRan = new CountDownLatch(1);
        return delegate(TransportConnection.class, connection, (method, args, result) -> {
            if (method.equals("openStream")) {
                TransportStream stream = (TransportStream) result;
                InputStream in = endingAfterFourBytes(stream.inputStream(),
                        () -> endAndWait(connection, poolCallbacksRan), struck);
                return Proxy.newProxyInstance(TransportStream.class.getClassLoader(), new Class<?>[] {TransportStream.class},
                        (proxy, m, a) -> switch (m.getName()) {
                            case "inputStream" -> in;
                            // as on a transport without PEER_ABORT (Kwik): the end reaches the pool only
                            // through the connection's close callback
                            case "onPeerAbort" -> null;
                            default -> invoke(m, stream, a);
                        });
            }
            return result;
        }, (method, args) -> {
            if (method.equals("onClose")) {
                Runnable poolCallback = (Runnable) args[0];
                args[0] = (Runnable) () -> {
                    poolCallback.run();
                    poolCallbacksRan.countDown();
                };
            }
        });
    }

    private interface Action {
        void run() throws IOException;
    }

    private static InputStream endingAfterFourBytes(InputStream in, Action end, AtomicBoolean struck) {
        return new FilterInputStream(in) {
            private int read;

            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0 && ++read == 4 && struck.compareAndSet(false, true)) {
                    end.run();
                }
                return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                int n = super.read(buf, off, len);
                if (n > 0 && read < 4 && (read += n) >= 4 && struck.compareAndSet(false, true)) {
                    end.run();
                }
                return n;
            }
        };
    }

    private static void endAndWait(TransportConnection connection, CountDownLatch poolCallbacksRan) throws IOException {
        connection.close(0, "ended by the test between the ID and the registration");
        try {
            if (!poolCallbacksRan.await(5, TimeUnit.SECONDS)) {
                throw new IOException("the pool's close callback did not run within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private interface After {
        Object apply(String method, Object[] args, Object result) throws Exception;
    }

    private interface Before {
        void apply(String method, Object[] args);
    }

    private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static <T> T delegate(Class<T> type, T target, After after, Before before) {
        InvocationHandler handler = (proxy, method, args) -> {
            before.apply(method.getName(), args);
            return after.apply(method.getName(), args, invoke(method, target, args));
        };
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }
}
