package dev.softswitch.bridge.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.softswitch.assistant.Assistant;
import dev.softswitch.assistant.AssistantDirectory;
import dev.softswitch.assistant.CallFacts;
import dev.softswitch.assistant.DtmfEvent;
import dev.softswitch.assistant.MediaPort;
import dev.softswitch.assistant.context.CallContext;
import dev.softswitch.assistant.context.CallContextStore;
import dev.softswitch.assistant.context.CallContextStoreException;
import dev.softswitch.assistant.context.InMemoryCallContextStore;
import dev.softswitch.bridge.provider.twilio.TwilioStreamCodec;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One provider stream's call, driven by hand: a Twilio stream, a scripted assistant, a tick at a time. Audio goes out
 * a few frames ahead and then one per tick; the assistant's marks go to the provider after their audio and count as
 * played only when the provider echoes them; its clear empties the provider's buffer; keys reach it; the end is
 * recorded. The start's claim waits for a store that does not answer without holding the event loop.
 */
class ProviderSessionTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ExecutorService loop = Executors.newSingleThreadExecutor();
    private final ExecutorService assistants = Executors.newVirtualThreadPerTaskExecutor();
    private final List<Object> sent = new CopyOnWriteArrayList<>();
    private final List<String> marks = new CopyOnWriteArrayList<>();
    private final List<ProviderCallRecord> records = new CopyOnWriteArrayList<>();
    private final CountDownLatch written = new CountDownLatch(1);
    private volatile @Nullable Runnable tick;
    private volatile String closed = "";

    @AfterEach
    void stop() {
        loop.shutdownNow();
        assistants.shutdownNow();
    }

    /** Writes 5 frames, mark m1, 5 frames, mark m2; clears on key 1. */
    private final class Scripted implements Assistant {
        @Override
        public String id() {
            return "scripted";
        }

        @Override
        public void run(CallFacts call, MediaPort port) throws InterruptedException {
            for (int m = 1; m <= 2; m++) {
                for (int i = 0; i < 5; i++) {
                    port.write(new short[160]);
                }
                port.mark("m" + m, (name, played) -> marks.add(name + (played ? " played" : " dropped")));
            }
            written.countDown();
            while (port.isOpen()) {
                DtmfEvent key = port.pollDtmf();
                if (key != null && key.digit() == '1') {
                    port.clear();
                }
                port.read(Duration.ofMillis(10));
            }
        }
    }

    private ProviderSession session(CallTokens tokens, ProviderCalls calls) {
        MediaOutlet outlet = new MediaOutlet() {
            @Override
            public java.util.concurrent.Executor eventLoop() {
                return loop;
            }

            @Override
            public boolean send(Object message) {
                sent.add(message);
                return true;
            }

            @Override
            public void close(int code, String reason) {
                closed = code + " " + reason;
            }
        };
        Ticker ticker = t -> {
            tick = t;
            return () -> tick = null;
        };
        MediaServices services =
                new MediaServices(new AssistantDirectory(List.of(new Scripted())), tokens, calls, ticker, assistants);
        StreamPlugin plugin = () -> "twilio";
        return new ProviderSession(plugin, new TwilioStreamCodec(), outlet, services);
    }

    private void on(Runnable action) throws Exception {
        loop.submit(action).get(5, TimeUnit.SECONDS);
    }

    private void tickOnce() throws Exception {
        Runnable t = tick;
        assertThat(t).as("the session ticks").isNotNull();
        t.run(); // the ticker's task only hands the step to the event loop
        on(() -> {});
    }

    private List<String> events() throws Exception {
        List<String> out = new java.util.ArrayList<>();
        for (Object message : sent) {
            JsonNode node = JSON.readTree((String) message);
            String event = node.path("event").asText();
            out.add(
                    event.equals("mark")
                            ? "mark " + node.path("mark").path("name").asText()
                            : event);
        }
        return out;
    }

    @Test
    void pacesAudioForwardsMarksClearsAndRecords() throws Exception {
        Clock clock = Clock.systemUTC();
        CallTokens tokens = new CallTokens(new InMemoryCallContextStore(clock), clock);
        ProviderCalls calls = new ProviderCalls(clock, records::add);
        String token = tokens.store(
                new ClaimedCall("c0ffee", "scripted", "+1555", "+1666", "inbound", Map.of()), "twilio", CallTokens.TTL);
        ProviderSession session = session(tokens, calls);

        on(() -> session.onText("{\"event\":\"connected\",\"protocol\":\"Call\",\"version\":\"1.0.0\"}"));
        on(() -> session.onText("{\"event\":\"start\",\"sequenceNumber\":\"1\",\"streamSid\":\"MZ1\",\"start\":{"
                + "\"streamSid\":\"MZ1\",\"callSid\":\"CA1\",\"mediaFormat\":{\"encoding\":\"audio/x-mulaw\","
                + "\"sampleRate\":8000,\"channels\":1},\"customParameters\":{\"token\":\"" + token + "\"}}}"));
        assertThat(written.await(5, TimeUnit.SECONDS)).isTrue();
        on(() -> {}); // the call began in a task of the loop (after the claim), which has finished by now
        assertThat(calls.find("c0ffee").orElseThrow().status().phase()).isEqualTo(ProviderCall.Phase.ANSWERED);

        tickOnce();
        assertThat(events()).as("three frames ahead at once").containsExactly("media", "media", "media");
        tickOnce();
        tickOnce();
        assertThat(events()).hasSize(5);
        tickOnce(); // the sixth frame: the pacer passes m1 first, which goes to Twilio right after its audio
        assertThat(events()).endsWith("media", "mark m1", "media");
        assertThat(marks).as("sent, not yet played").isEmpty();

        on(() -> session.onText("{\"event\":\"mark\",\"streamSid\":\"MZ1\",\"mark\":{\"name\":\"m1\"}}"));
        assertThat(marks).containsExactly("m1 played");

        on(() -> session.onText("{\"event\":\"dtmf\",\"streamSid\":\"MZ1\",\"dtmf\":{\"digit\":\"1\"}}"));
        await().atMost(Duration.ofSeconds(5)).until(() -> events().contains("clear"));
        assertThat(marks).containsExactly("m1 played", "m2 dropped");

        on(() -> session.onText("{\"event\":\"stop\",\"streamSid\":\"MZ1\",\"stop\":{\"callSid\":\"CA1\"}}"));
        assertThat(closed).isEqualTo("1000 stream stopped");
        assertThat(tick).as("no more ticks").isNull();
        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.callId()).isEqualTo("c0ffee");
            assertThat(r.providerCallId()).isEqualTo("CA1");
            assertThat(r.endedBy()).isEqualTo("caller");
            assertThat(r.reason()).isEqualTo("completed");
            assertThat(r.codec()).isEqualTo("PCMU");
            assertThat(r.dtmfCount()).isEqualTo(1);
            assertThat(r.answered()).isNotNull();
        });
    }

    @Test
    void aStreamWhoseTokenClaimsNothingIsClosedWith1008() throws Exception {
        Clock clock = Clock.systemUTC();
        CallTokens tokens = new CallTokens(new InMemoryCallContextStore(clock), clock);
        ProviderSession session = session(tokens, new ProviderCalls(clock, records::add));

        on(() -> session.onText("{\"event\":\"start\",\"streamSid\":\"MZ2\",\"start\":{\"streamSid\":\"MZ2\","
                + "\"callSid\":\"CA2\",\"customParameters\":{\"token\":\"forged\"}}}"));

        // The claim is made off the event loop (a shared store may take its timeout); the close follows its answer.
        await().atMost(Duration.ofSeconds(5)).until(() -> !closed.isEmpty());
        assertThat(closed).isEqualTo("1008 no call is waiting for this stream");
        assertThat(records).isEmpty();
    }

    @Test
    void aClaimThatWaitsForTheStoreLeavesTheEventLoopFreeAndItsFailureCloses1013() throws Exception {
        CountDownLatch answer = new CountDownLatch(1);
        CallContextStore frozen = new CallContextStore() {
            @Override
            public void put(String callId, CallContext context, Duration ttl) {
                throw new UnsupportedOperationException("not in this test");
            }

            @Override
            public Optional<CallContext> claim(String callId) {
                try {
                    answer.await(10, TimeUnit.SECONDS); // as a frozen Redis does, until the command's timeout
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new CallContextStoreException(
                        "call context claim failed: Redis unreachable (no answer within 500 ms)", new Exception());
            }
        };
        Clock clock = Clock.systemUTC();
        ProviderSession session = session(new CallTokens(frozen, clock), new ProviderCalls(clock, records::add));

        on(() -> session.onText("{\"event\":\"start\",\"streamSid\":\"MZ3\",\"start\":{\"streamSid\":\"MZ3\","
                + "\"callSid\":\"CA3\",\"customParameters\":{\"token\":\"0123456789abcdef\"}}}"));
        // The event loop goes on while the claim waits: it takes the stream's next message at once.
        on(() -> session.onText("{\"event\":\"dtmf\",\"streamSid\":\"MZ3\",\"dtmf\":{\"digit\":\"1\"}}"));
        assertThat(closed)
                .as("nothing decided while the store has not answered")
                .isEmpty();

        answer.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> !closed.isEmpty());
        assertThat(closed).isEqualTo("1013 call context store unavailable, try again later");
        assertThat(records).as("no call began").isEmpty();
    }
}
