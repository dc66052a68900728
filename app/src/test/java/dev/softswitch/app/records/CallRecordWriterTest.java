package dev.softswitch.app.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.softswitch.sip.call.CallRecord;
import dev.softswitch.sip.call.CallRecord.Direction;
import dev.softswitch.sip.call.CallRecord.EndedBy;
import dev.softswitch.sip.call.CallRecord.JitterBufferStats;
import dev.softswitch.sip.call.CallRecord.RtpStats;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** What an operator finds in the call-record file, and what the writer does when the disk or the queue is in trouble. */
class CallRecordWriterTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant STARTED = Instant.parse("2025-03-01T10:00:00Z");

    @TempDir
    Path dir;

    final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    final Logger writerLog = (Logger) LoggerFactory.getLogger(CallRecordWriter.class);
    final List<Thread> heldThreads = new ArrayList<>();
    final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void captureLogs() {
        logs.start();
        writerLog.addAppender(logs);
    }

    @AfterEach
    void stopCapturing() {
        writerLog.detachAppender(logs);
        release.countDown();
    }

    static CallRecord.Builder fullCall(String callId) {
        return CallRecord.builder()
                .callId(callId)
                .sipCallId("a84b4c76e66710@pc33.example.com")
                .direction(Direction.INBOUND)
                .from("\"Alice\" <sip:alice@example.com>")
                .to("sip:support@softswitch.example.com")
                .trunk("carrier")
                .assistant("support")
                .codec("PCMU")
                .started(STARTED)
                .answered(STARTED.plusMillis(1_500))
                .ended(STARTED.plusMillis(61_500))
                .endedBy(EndedBy.CALLER)
                .reason("caller_bye")
                .detail("caller hung up (BYE) – merci")
                .sipStatus(200)
                .rtp(new RtpStats(3000, 2998, 2, 1.25))
                .jitterBuffer(new JitterBufferStats(30, 1, 2, 4, 3, 5, 6, 7))
                .dtmfCount(3)
                .recording("data/recordings/c-1.wav");
    }

    static CallRecord minimalCall(String callId) {
        return CallRecord.builder()
                .callId(callId)
                .sipCallId("x1@host")
                .direction(Direction.OUTBOUND)
                .from("sip:softswitch@example.com")
                .to("sip:+15551234567@carrier.example.com")
                .started(STARTED)
                .ended(STARTED.plusMillis(30_000))
                .endedBy(EndedBy.CALLEE)
                .reason("callee_busy")
                .sipStatus(486)
                .build();
    }

    static List<JsonNode> readRecords(Path file) throws IOException {
        List<JsonNode> records = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            records.add(JSON.readTree(line));
        }
        return records;
    }

    static List<String> keys(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** A thread factory whose threads wait for {@link #release} before they start writing. */
    ThreadFactory heldBack() {
        return task -> {
            Thread thread = new Thread(
                    () -> {
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                        task.run();
                    },
                    "call-records-held");
            thread.setDaemon(true);
            heldThreads.add(thread);
            return thread;
        };
    }

    List<ILoggingEvent> logged(Level level) {
        return logs.list.stream().filter(e -> e.getLevel() == level).toList();
    }

    @Test
    void recordIsWrittenAsOneJsonLineWithEveryField() throws IOException {
        Path file = dir.resolve("calls.jsonl");
        try (CallRecordWriter writer = CallRecordWriter.open(file)) {
            writer.write(fullCall("c-1").build());
            await().until(writer::written, n -> n == 1);
        }

        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(1);
        JsonNode line = JSON.readTree(lines.get(0));
        assertThat(keys(line))
                .containsExactly(
                        "call_id",
                        "sip_call_id",
                        "direction",
                        "from",
                        "to",
                        "trunk",
                        "assistant",
                        "codec",
                        "started",
                        "answered",
                        "ended",
                        "duration_ms",
                        "ended_by",
                        "reason",
                        "detail",
                        "sip_status",
                        "rtp",
                        "jitter_buffer",
                        "dtmf_count",
                        "recording");
        assertThat(line.get("call_id").textValue()).isEqualTo("c-1");
        assertThat(line.get("sip_call_id").textValue()).isEqualTo("a84b4c76e66710@pc33.example.com");
        assertThat(line.get("direction").textValue()).isEqualTo("inbound");
        assertThat(line.get("from").textValue()).isEqualTo("\"Alice\" <sip:alice@example.com>");
        assertThat(line.get("to").textValue()).isEqualTo("sip:support@softswitch.example.com");
        assertThat(line.get("trunk").textValue()).isEqualTo("carrier");
        assertThat(line.get("assistant").textValue()).isEqualTo("support");
        assertThat(line.get("codec").textValue()).isEqualTo("PCMU");
        assertThat(line.get("started").textValue()).isEqualTo("2025-03-01T10:00:00Z");
        assertThat(line.get("answered").textValue()).isEqualTo("2025-03-01T10:00:01.500Z");
        assertThat(line.get("ended").textValue()).isEqualTo("2025-03-01T10:01:01.500Z");
        assertThat(line.get("duration_ms").isIntegralNumber()).isTrue();
        assertThat(line.get("duration_ms").longValue()).isEqualTo(60_000);
        assertThat(line.get("ended_by").textValue()).isEqualTo("caller");
        assertThat(line.get("reason").textValue()).isEqualTo("caller_bye");
        assertThat(line.get("detail").textValue()).isEqualTo("caller hung up (BYE) – merci");
        assertThat(line.get("sip_status").intValue()).isEqualTo(200);
        JsonNode rtp = line.get("rtp");
        assertThat(keys(rtp)).containsExactly("packets_sent", "packets_received", "packets_lost", "jitter_ms");
        assertThat(rtp.get("packets_sent").longValue()).isEqualTo(3000);
        assertThat(rtp.get("packets_received").longValue()).isEqualTo(2998);
        assertThat(rtp.get("packets_lost").longValue()).isEqualTo(2);
        assertThat(rtp.get("jitter_ms").doubleValue()).isEqualTo(1.25);
        JsonNode jitter = line.get("jitter_buffer");
        assertThat(keys(jitter))
                .containsExactly(
                        "delay_ms", "late", "lost", "stretched", "merged", "reordered", "duplicates", "resets");
        assertThat(jitter.get("delay_ms").intValue()).isEqualTo(30);
        assertThat(jitter.get("late").longValue()).isEqualTo(1);
        assertThat(jitter.get("lost").longValue()).isEqualTo(2);
        assertThat(jitter.get("stretched").longValue()).isEqualTo(4);
        assertThat(jitter.get("merged").longValue()).isEqualTo(3);
        assertThat(jitter.get("reordered").longValue()).isEqualTo(5);
        assertThat(jitter.get("duplicates").longValue()).isEqualTo(6);
        assertThat(jitter.get("resets").longValue()).isEqualTo(7);
        assertThat(line.get("dtmf_count").intValue()).isEqualTo(3);
        assertThat(line.get("recording").textValue()).isEqualTo("data/recordings/c-1.wav");
    }

    @Test
    void aRoundTripTimeMeasuredByRtcpIsWrittenAsRttMs() throws IOException {
        Path file = dir.resolve("calls-rtt.jsonl");
        try (CallRecordWriter writer = CallRecordWriter.open(file)) {
            writer.write(fullCall("c-rtt")
                    .rtp(new RtpStats(3000, 2998, 2, 1.25, 42.5))
                    .build());
        }

        JsonNode rtp = readRecords(file).get(0).get("rtp");
        assertThat(keys(rtp))
                .containsExactly("packets_sent", "packets_received", "packets_lost", "jitter_ms", "rtt_ms");
        assertThat(rtp.get("rtt_ms").doubleValue()).isEqualTo(42.5);
    }

    @Test
    void aCallWhoseJitterBufferWasNotUsedHasNoJitterBufferObject() throws IOException {
        Path file = dir.resolve("calls-no-jitter-buffer.jsonl");
        try (CallRecordWriter writer = CallRecordWriter.open(file)) {
            writer.write(fullCall("c-30ms").jitterBuffer(null).build()); // 30 ms packets, or a provider call
        }

        JsonNode line = readRecords(file).get(0);
        assertThat(line.has("rtp")).isTrue();
        assertThat(line.has("jitter_buffer")).isFalse();
        assertThat(keys(line)).containsSubsequence("rtp", "dtmf_count");
    }

    @Test
    void nullFieldsAreLeftOut() throws IOException {
        Path file = dir.resolve("calls.jsonl");
        try (CallRecordWriter writer = CallRecordWriter.open(file)) {
            writer.write(minimalCall("c-2"));
        }

        JsonNode line = readRecords(file).get(0);
        assertThat(keys(line))
                .containsExactly(
                        "call_id",
                        "sip_call_id",
                        "direction",
                        "from",
                        "to",
                        "started",
                        "ended",
                        "duration_ms",
                        "ended_by",
                        "reason",
                        "sip_status",
                        "dtmf_count");
        assertThat(line.has("answered")).isFalse();
        assertThat(line.has("rtp")).isFalse();
        assertThat(line.has("jitter_buffer")).isFalse();
        assertThat(line.get("direction").textValue()).isEqualTo("outbound");
        assertThat(line.get("duration_ms").longValue()).isZero();
        assertThat(line.get("ended_by").textValue()).isEqualTo("callee");
        assertThat(line.get("sip_status").intValue()).isEqualTo(486);
        assertThat(line.get("dtmf_count").intValue()).isZero();
    }

    @Test
    void passwordInAUriNeverReachesTheFile() throws IOException {
        Path file = dir.resolve("calls.jsonl");
        try (CallRecordWriter writer = CallRecordWriter.open(file)) {
            writer.write(fullCall("c-3")
                    .to("sip:support:sk-support-0123456789@softswitch.example.com")
                    .build());
        }

        assertThat(Files.readString(file)).doesNotContain("sk-support-0123456789");
        assertThat(readRecords(file).get(0).get("to").textValue()).isEqualTo("sip:support@softswitch.example.com");
    }

    @Test
    void secondWriterAppendsToTheFirstOnesFile() throws IOException {
        Path file = dir.resolve("calls.jsonl");
        try (CallRecordWriter first = CallRecordWriter.open(file)) {
            first.write(minimalCall("first"));
        }
        try (CallRecordWriter second = CallRecordWriter.open(file)) {
            second.write(minimalCall("second"));
        }

        assertThat(readRecords(file))
                .extracting(r -> r.get("call_id").textValue())
                .containsExactly("first", "second");
    }

    @Test
    void parentDirectoriesAreCreated() throws IOException {
        Path file = dir.resolve("data/records/2025/calls.jsonl");
        try (CallRecordWriter writer = CallRecordWriter.open(file)) {
            writer.write(minimalCall("c-4"));
            await().until(writer::written, n -> n == 1);
        }

        assertThat(readRecords(file)).hasSize(1);
    }

    @Test
    void unwritableFileCountsFailuresLogsOnceAndRecovers() throws IOException {
        Path blocker = Files.writeString(dir.resolve("data"), "a file where the directory should be");
        Path file = dir.resolve("data/calls.jsonl");
        try (CallRecordWriter writer = CallRecordWriter.open(file)) {
            assertThatCode(() -> {
                        for (int i = 0; i < 3; i++) {
                            writer.write(minimalCall("lost-" + i));
                        }
                    })
                    .doesNotThrowAnyException();
            await().until(writer::failed, n -> n == 3);
            assertThat(writer.written()).isZero();
            assertThat(logged(Level.ERROR)).singleElement().satisfies(e -> assertThat(e.getFormattedMessage())
                    .contains(file.toAbsolutePath().toString()));

            Files.delete(blocker); // the disk comes back: the next record is written
            writer.write(minimalCall("kept"));
            await().until(writer::written, n -> n == 1);
            assertThat(writer.failed()).isEqualTo(3);
        }

        assertThat(readRecords(file))
                .extracting(r -> r.get("call_id").textValue())
                .containsExactly("kept");
        assertThat(logged(Level.ERROR)).hasSize(1);
    }

    @Test
    void closeDrainsEveryQueuedRecordInOrder() throws IOException {
        Path file = dir.resolve("calls.jsonl");
        CallRecordWriter writer = CallRecordWriter.open(file);
        for (int i = 0; i < 1000; i++) {
            writer.write(minimalCall("c-" + i));
        }
        writer.close();

        assertThat(writer.written()).isEqualTo(1000);
        assertThat(writer.dropped()).isZero();
        assertThat(readRecords(file))
                .extracting(r -> r.get("call_id").textValue())
                .containsExactlyElementsOf(
                        IntStream.range(0, 1000).mapToObj(i -> "c-" + i).toList());
    }

    @Test
    void writeAfterCloseIsCountedAsDropped() throws IOException {
        Path file = dir.resolve("calls.jsonl");
        CallRecordWriter writer = CallRecordWriter.open(file);
        writer.close();
        writer.close(); // idempotent

        assertThatCode(() -> {
                    writer.write(minimalCall("late-1"));
                    writer.write(minimalCall("late-2"));
                })
                .doesNotThrowAnyException();
        assertThat(writer.dropped()).isEqualTo(2);
        assertThat(writer.written()).isZero();
        assertThat(Files.readAllLines(file)).isEmpty();
        assertThat(logged(Level.WARN)).hasSize(1);
    }

    @Test
    void fullQueueDropsAndWarnsOnce() throws IOException {
        Path file = dir.resolve("calls.jsonl");
        try (CallRecordWriter writer = CallRecordWriter.open(file, 2, Duration.ofSeconds(5), heldBack())) {
            for (int i = 0; i < 5; i++) {
                writer.write(minimalCall("c-" + i));
            }
            assertThat(writer.dropped()).isEqualTo(3);
            assertThat(logged(Level.WARN)).singleElement().satisfies(e -> assertThat(e.getFormattedMessage())
                    .contains("full"));

            release.countDown();
            await().until(writer::written, n -> n == 2);
        }

        assertThat(readRecords(file))
                .extracting(r -> r.get("call_id").textValue())
                .containsExactly("c-0", "c-1");
    }

    @Test
    void closeWaitsABoundedTimeThenDropsWhatIsLeft() {
        Path file = dir.resolve("calls.jsonl");
        CallRecordWriter writer = CallRecordWriter.open(file, 3, Duration.ofMillis(200), heldBack());
        for (int i = 0; i < 3; i++) {
            writer.write(minimalCall("c-" + i));
        }

        writer.close(); // the thread never gets going: close gives up after 200 ms

        assertThat(writer.dropped()).isEqualTo(3);
        assertThat(writer.written()).isZero();
        release.countDown();
        await().until(() -> heldThreads.stream().noneMatch(Thread::isAlive));
        assertThat(writer.written()).isZero();
    }

    @Test
    void oneDaemonPlatformThreadNamedCallRecordsStopsOnClose() {
        CallRecordWriter writer = CallRecordWriter.open(dir.resolve("calls.jsonl"));
        writer.write(minimalCall("c-5"));
        await().until(writer::written, n -> n == 1);
        List<Thread> threads = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("call-records"))
                .toList();
        assertThat(threads).singleElement().satisfies(t -> {
            assertThat(t.isDaemon()).isTrue();
            assertThat(t.isVirtual()).isFalse();
        });

        writer.close();

        assertThat(threads.get(0).isAlive()).isFalse();
    }
}
