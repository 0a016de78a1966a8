package quicpool.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import quicpool.api.ClientPool;
import quicpool.api.ClientPoolBuilder;
import quicpool.api.QuicPools;
import quicpool.testkit.InMemoryTransport;
import quicpool.testkit.LogCapture;
import quicpool.testkit.TestCertificates;

/**
 * {@code insecure()} says so: one WARNING per pool on {@code quicpool.core.tls} when it starts,
 * captured through java.util.logging, the default back end of {@code System.Logger}.
 */
@Timeout(30)
class InsecureWarningTest {
    /** Held here: java.util.logging keeps its loggers only weakly. */
    private final Logger jul = Logger.getLogger("quicpool.core.tls");
    private final LogCapture capture = new LogCapture();
    private final Queue<LogRecord> records = capture.records();
    private final InMemoryTransport transport = new InMemoryTransport();
    private final List<ClientPool> pools = new CopyOnWriteArrayList<>();

    @BeforeEach
    void attach() {
        capture.setLevel(Level.ALL);
        jul.addHandler(capture);
    }

    @AfterEach
    void detach() {
        jul.removeHandler(capture);
        pools.forEach(ClientPool::close);
    }

    private ClientPool pool(UnaryOperator<ClientPoolBuilder> tls) {
        // nothing listens there: the pool's dials fail, which does not matter here
        ClientPool p = tls.apply(QuicPools.client().serverAddress(new InetSocketAddress("127.0.0.1", 9))
                .hostname("tunnel.example").transport(transport)).build();
        pools.add(p);
        return p;
    }

    private List<String> warnings() {
        return records.stream().filter(r -> r.getLevel() == Level.WARNING).map(LogRecord::getMessage).toList();
    }

    @Test
    void anInsecurePoolWarnsOnceWhenItStartsThatCertificateChecksAreOff() {
        ClientPool first = pool(ClientPoolBuilder::insecure);
        assertThat(warnings()).as("built, not started").isEmpty();
        first.start();
        first.start(); // a second start does nothing, nor warns again
        assertThat(warnings()).containsExactly("quicpool client pool for tunnel.example is insecure(): server"
                + " certificate checks are off, so anyone on the path can pose as the server (the traffic is"
                + " encrypted, but possibly to them); pin the server's certificate or public key, or verify() it,"
                + " instead");

        pool(ClientPoolBuilder::insecure).start();
        assertThat(warnings()).as("one per pool").hasSize(2);
    }

    @Test
    void poolsThatCheckCertificatesDoNotWarn() {
        pool(c -> c).start();
        pool(c -> c.pinCertificate(TestCertificates.localhost().certificate())).start();
        pool(c -> c.pinPublicKey(TestCertificates.localhost().certificate())).start();
        assertThat(warnings()).isEmpty();
    }
}
