// SPDX-License-Identifier: Apache-2.0
package quicpool.examples.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The JDK's HTTP server as the target behind the tunnel, the JDK's HTTP client as the users. */
@Timeout(60)
class TunnelHttpTest {
    private static final int REQUESTS = 200;
    private static final int THREADS = 16;
    private static final long BIG = 64L << 20;
    private static final long SEED = 42;

    private static ExecutorService httpThreads;
    private static HttpServer target;
    private static TunnelFixture tunnel;
    private static HttpClient http;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        httpThreads = Executors.newCachedThreadPool();
        target = HttpServer.create(new InetSocketAddress(TunnelFixture.LOOPBACK, 0), 0);
        target.setExecutor(httpThreads);
        target.createContext("/item/", TunnelHttpTest::item);
        target.createContext("/download", TunnelHttpTest::download);
        target.createContext("/upload", TunnelHttpTest::upload);
        target.start();
        tunnel = TunnelFixture.start(target.getAddress());
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TunnelFixture.WAIT).build();
        InetSocketAddress pub = tunnel.server.publicAddress();
        base = "http://" + pub.getAddress().getHostAddress() + ":" + pub.getPort();
    }

    @AfterAll
    static void stop() {
        if (tunnel != null) {
            tunnel.close();
        }
        if (target != null) {
            target.stop(0);
        }
        if (httpThreads != null) {
            httpThreads.shutdownNow();
        }
    }

    @Test
    void twoHundredRequestsFromSixteenThreadsAllGetTheirOwnBody() throws Exception {
        ExecutorService users = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<String>> bodies = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                int n = i;
                bodies.add(users.submit(() -> http.send(HttpRequest.newBuilder(URI.create(base + "/item/" + n))
                        .timeout(TunnelFixture.WAIT).build(), HttpResponse.BodyHandlers.ofString()).body()));
            }
            for (int i = 0; i < REQUESTS; i++) {
                assertThat(bodies.get(i).get(30, TimeUnit.SECONDS)).as("body of request %d", i).isEqualTo(itemBody(i));
            }
        } finally {
            users.shutdownNow();
        }
    }

    @Test
    void sixtyFourMebibytesGoUpIntact() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/upload"))
                .timeout(Duration.ofSeconds(50))
                .POST(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> new PseudoRandomStream(SEED, BIG)), BIG))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).as("SHA-256 the target computed").isEqualTo(sha256(new PseudoRandomStream(SEED, BIG)));
    }

    @Test
    void sixtyFourMebibytesComeDownIntact() throws Exception {
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(base + "/download"))
                .timeout(Duration.ofSeconds(50)).build(), HttpResponse.BodyHandlers.ofInputStream());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(sha256(response.body())).isEqualTo(sha256(new PseudoRandomStream(SEED, BIG)));
    }

    private static String itemBody(int n) {
        return ("item " + n + ";").repeat(1 + n * 37 % 500);
    }

    private static void item(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        byte[] body = itemBody(Integer.parseInt(path.substring("/item/".length()))).getBytes(StandardCharsets.UTF_8);
        respond(exchange, body);
    }

    private static void upload(HttpExchange exchange) throws IOException {
        respond(exchange, sha256(exchange.getRequestBody()).getBytes(StandardCharsets.US_ASCII));
    }

    private static void download(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().close();
        exchange.sendResponseHeaders(200, BIG);
        try (OutputStream out = exchange.getResponseBody()) {
            new PseudoRandomStream(SEED, BIG).transferTo(out);
        }
    }

    private static void respond(HttpExchange exchange, byte[] body) throws IOException {
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static String sha256(InputStream in) throws IOException {
        try (in) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
