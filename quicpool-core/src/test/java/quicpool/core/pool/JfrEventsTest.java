// SPDX-License-Identifier: Apache-2.0
package quicpool.core.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import quicpool.api.PoolTimeoutException;
import quicpool.api.StreamConn;
import quicpool.compliance.Conditions;

/** The quicpool.* JFR events, recorded in-process and read back from the recording file. */
@Timeout(60)
class JfrEventsTest {
    @TempDir
    Path dir;

    @Test
    void waitsRefillCyclesDialsAndEvictionsAreRecordedWithTheirFields() throws Exception {
        long evictedByFlush;
        String readyId;
        try (Recording recording = new Recording()) {
            for (String event : List.of("quicpool.GetWaited", "quicpool.RefillCycle", "quicpool.Dial", "quicpool.Eviction")) {
                recording.enable(event).withThreshold(Duration.ZERO);
            }
            recording.start();
            try (PoolPair p = new PoolPair(s -> s.name("jfr-server").maxCapacity(2), c -> c.name("jfr-client").capacity(2, 2));
                 PoolPair failing = new PoolPair(s -> s, c -> c.name("jfr-failing").addressResolver(() -> {
                     throw new IllegalStateException("resolver says no");
                 }))) {
                // an async get that waits for the client's first streams
                CompletableFuture<StreamConn> waiting = p.server.incomingGetAsync(Duration.ofSeconds(20));
                p.client.start();
                StreamConn first = waiting.get(20, TimeUnit.SECONDS);
                // a blocking get that waits in vain
                assertThatThrownBy(() -> p.server.outgoingGet("0badf00d", Duration.ofMillis(30)))
                        .isInstanceOf(PoolTimeoutException.class);
                // gets that find their stream ready, or do not wait, make no event
                readyId = first.id();
                StreamConn[] mine = new StreamConn[1];
                Conditions.await("the client's end of " + readyId + " ready", Duration.ofSeconds(10),
                        () -> (mine[0] = takeNow(p.client, readyId)) != null);
                mine[0].close();
                first.close();
                p.awaitFilled(1);
                long before = p.client.stats().evicted();
                p.client.flush();
                evictedByFlush = p.client.stats().evicted() - before;
                failing.client.start();
                Conditions.await("a failed dial", Duration.ofSeconds(10), () -> failing.client.lastConnectFailure().isPresent());
            }
            recording.stop();
            Path file = dir.resolve("quicpool.jfr");
            recording.dump(file);
            List<RecordedEvent> events = RecordingFile.readAllEvents(file);

            List<RecordedEvent> serverWaits = named(events, "quicpool.GetWaited", "jfr-server");
            assertThat(serverWaits).hasSize(2);
            RecordedEvent async = serverWaits.stream().filter(e -> e.getBoolean("async")).findFirst().orElseThrow();
            assertThat(async.getString("role")).isEqualTo("server");
            assertThat(async.getString("outcome")).isEqualTo("TAKEN");
            assertThat(async.getString("streamId")).isNull();
            assertThat(async.getLong("timeout")).isEqualTo(Duration.ofSeconds(20).toNanos());
            RecordedEvent blocked = serverWaits.stream().filter(e -> !e.getBoolean("async")).findFirst().orElseThrow();
            assertThat(blocked.getString("outcome")).isEqualTo("TIMED_OUT");
            assertThat(blocked.getString("streamId")).isEqualTo("0badf00d");
            assertThat(blocked.getDuration()).isGreaterThanOrEqualTo(Duration.ofMillis(25));
            assertThat(named(events, "quicpool.GetWaited", "jfr-client")).as("the client's gets did not wait").isEmpty();

            RecordedEvent dial = named(events, "quicpool.Dial", "jfr-client").get(0);
            assertThat(dial.getBoolean("succeeded")).isTrue();
            assertThat(dial.getInt("shard")).isZero();
            assertThat(dial.getString("address")).isNotNull();
            assertThat(dial.getString("failure")).isNull();
            RecordedEvent failed = named(events, "quicpool.Dial", "jfr-failing").get(0);
            assertThat(failed.getBoolean("succeeded")).isFalse();
            assertThat(failed.getString("address")).isNull();
            assertThat(failed.getString("failure")).contains("resolver says no");

            List<RecordedEvent> cycles = named(events, "quicpool.RefillCycle", "jfr-client");
            assertThat(cycles).isNotEmpty();
            assertThat(cycles).allSatisfy(c -> assertThat(c.getInt("target")).isEqualTo(2));
            assertThat(cycles.stream().mapToInt(c -> c.getInt("registered")).sum()).isGreaterThanOrEqualTo(2);

            List<RecordedEvent> flushes = named(events, "quicpool.Eviction", "jfr-client").stream()
                    .filter(e -> "flush".equals(e.getString("reason"))).collect(Collectors.toList());
            assertThat(evictedByFlush).isPositive();
            assertThat(flushes).hasSize(1);
            assertThat(flushes.get(0).getInt("streams")).isEqualTo((int) evictedByFlush);
            assertThat(flushes.get(0).getString("role")).isEqualTo("client");
        }
    }

    @Test
    void aRecordingWithTheJdksDefaultSettingsHoldsThemWithoutEnablingThem() throws Exception {
        try (Recording recording = new Recording(Configuration.getConfiguration("default"))) {
            recording.start();
            try (PoolPair p = new PoolPair(s -> s.name("jfr-default-server"), c -> c.name("jfr-default").capacity(1, 1))) {
                p.client.start();
                p.awaitFilled(1);
                // active() counts a stream the instant before the registry's table holds it, so a
                // flush right after may find nothing yet: flush until one was evicted.
                Conditions.await("a flush evicted the client's idle stream", Duration.ofSeconds(10), () -> {
                    p.client.flush();
                    return p.client.stats().evicted() > 0;
                }, p.client::stats);
            }
            recording.stop();
            Path file = dir.resolve("default.jfr");
            recording.dump(file);
            List<RecordedEvent> events = RecordingFile.readAllEvents(file);
            assertThat(named(events, "quicpool.Dial", "jfr-default")).isNotEmpty();
            assertThat(named(events, "quicpool.RefillCycle", "jfr-default")).isNotEmpty();
            assertThat(named(events, "quicpool.Eviction", "jfr-default")).isNotEmpty();
        }
    }

    /** The stream with this ID if it is ready now, else null: a get of timeout zero, which never waits. */
    private static StreamConn takeNow(quicpool.api.Pool pool, String id) {
        try {
            return pool.outgoingGet(id, Duration.ZERO);
        } catch (PoolTimeoutException notYet) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<RecordedEvent> named(List<RecordedEvent> events, String type, String pool) {
        return events.stream().filter(e -> e.getEventType().getName().equals(type) && pool.equals(e.getString("pool")))
                .collect(Collectors.toList());
    }
}
