package dev.softswitch.bridge.testbot.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.softswitch.assistant.CallFacts;
import dev.softswitch.bridge.assistant.RecordingActions;
import dev.softswitch.bridge.assistant.openai.RealtimeDialect;
import dev.softswitch.codecs.Goertzel;
import dev.softswitch.codecs.ToneGenerator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The fake Realtime server against the JDK's WebSocket client, speaking through {@link RealtimeDialect}. */
class FakeRealtimeServerIT {

    private static final String KEY = "sk-test-not-a-real-key";
    private static final String MODEL = "gpt-realtime";
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FakeRealtimeServer server = FakeRealtimeServer.start(KEY, MODEL);
    private final HttpClient http = HttpClient.newHttpClient();

    FakeRealtimeServerIT() throws InterruptedException {}

    @AfterEach
    void stop() {
        server.close();
        http.close();
    }

    /** A JDK WebSocket client that queues the text messages it receives. */
    private static final class Client implements WebSocket.Listener {
        final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();

        @Nullable
        WebSocket socket;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                messages.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        JsonNode next() throws Exception {
            String message = messages.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(message).as("a server event within " + WAIT).isNotNull();
            return JSON.readTree(message);
        }

        void send(Object message) {
            assertThat(message).isInstanceOf(String.class);
            WebSocket s = socket;
            assertThat(s).isNotNull();
            s.sendText((String) message, true).join();
        }
    }

    private Client connect(URI uri, String key) throws Exception {
        Client client = new Client();
        client.socket = http.newWebSocketBuilder()
                .header("Authorization", "Bearer " + key)
                .buildAsync(uri, client)
                .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        return client;
    }

    private static double share(short[] pcm, double hz, int rate) {
        return Goertzel.relativePower(pcm, 0, pcm.length, hz, rate);
    }

    @Test
    void aPcmuCallTalksBargesInAndTruncatesWithoutAViolation() throws Exception {
        Client client = connect(server.uri(), KEY);
        assertThat(client.next().get("type").asText()).isEqualTo("session.created");

        RealtimeDialect dialect = new RealtimeDialect(8000, MODEL, "marin", "You are a test.");
        CallFacts call = new CallFacts("c-1", "sip:a@b", "sip:c@d", "bot", "PCMU", 8000);
        dialect.start(call, "Hello!").forEach(client::send);
        assertThat(client.next().get("type").asText()).isEqualTo("session.updated");
        assertThat(server.awaitType("response.create", WAIT)
                        .path("response")
                        .path("instructions")
                        .asText())
                .endsWith("Hello!");

        // One second of the caller saying 1 kHz arrives as mu-law and decodes back to the tone.
        ToneGenerator caller = new ToneGenerator(1000, 8000, 0.5);
        for (int i = 0; i < 50; i++) {
            client.send(dialect.media(caller.next(160)));
        }
        await().atMost(WAIT).until(() -> server.receivedAudio().length == 8000);
        assertThat(server.inputRate()).isEqualTo(8000);
        assertThat(share(server.receivedAudio(), 1000, 8000)).isGreaterThan(0.9);

        // The model answers with a second of 440 Hz; all of it plays, in marked pieces.
        server.sendToneResponse("item_1", 440, 1000);
        RecordingActions actions = new RecordingActions();
        JsonNode event;
        do {
            event = client.next();
            dialect.onText(JSON.writeValueAsString(event), actions);
        } while (!event.get("type").asText().equals("response.done"));
        short[] played = concat(actions.audio);
        assertThat(played).hasSize(8000);
        assertThat(share(played, 440, 8000)).isGreaterThan(0.9);

        // The caller heard the marks up to 400 ms, then talks over the bot.
        List<String> marks = actions.log.stream()
                .filter(l -> l.startsWith("mark "))
                .map(l -> l.substring(5))
                .toList();
        long heard = 0;
        for (String mark : marks) {
            long end = Long.parseLong(mark.substring(mark.lastIndexOf('|') + 1));
            if (end <= 400) {
                dialect.markReached(mark, true);
                heard = end;
            }
        }
        assertThat(heard).isPositive();
        actions.log.clear();
        server.sendSpeechStarted();
        dialect.onText(JSON.writeValueAsString(client.next()), actions);
        assertThat(actions.log).hasSize(2).first().isEqualTo("clear");
        client.send(actions.log.get(1).substring("reply ".length()));

        JsonNode truncate = server.awaitType("conversation.item.truncate", WAIT);
        assertThat(truncate.get("item_id").asText()).isEqualTo("item_1");
        assertThat(truncate.get("audio_end_ms").asLong()).isEqualTo(heard);
        JsonNode truncated = client.next();
        assertThat(truncated.get("type").asText()).isEqualTo("conversation.item.truncated");
        assertThat(server.violations()).isEmpty();
    }

    @Test
    void aWidebandCallSends24kHzPcmThatArrivesSampleForSample() throws Exception {
        Client client = connect(server.uri(), KEY);
        client.next();
        RealtimeDialect dialect = new RealtimeDialect(16000, MODEL, "marin", null);
        dialect.start(new CallFacts("c-2", "a", "b", "bot", "G722", 24000), null)
                .forEach(client::send);
        short[] frame = new ToneGenerator(700, 24000, 0.3).next(480);
        client.send(dialect.media(frame));
        await().atMost(WAIT).until(() -> server.receivedAudio().length == 480);
        assertThat(server.receivedAudio()).isEqualTo(frame);
        assertThat(server.outputRate()).isEqualTo(24000);
        assertThat(server.violations()).isEmpty();
    }

    @Test
    void aWrongKeyIsRefusedWith401() {
        assertThatThrownBy(() -> connect(server.uri(), "sk-wrong"))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOfSatisfying(
                        WebSocketHandshakeException.class,
                        e -> assertThat(e.getResponse().statusCode()).isEqualTo(401));
        assertThat(server.violations())
                .singleElement()
                .asString()
                .contains("401")
                .doesNotContain("sk-wrong");
    }

    @Test
    void aWrongModelIsRefusedWith400() {
        URI other = URI.create("ws://127.0.0.1:" + server.port() + FakeRealtimeServer.PATH + "?model=gpt-4o");
        assertThatThrownBy(() -> connect(other, KEY))
                .cause()
                .isInstanceOfSatisfying(
                        WebSocketHandshakeException.class,
                        e -> assertThat(e.getResponse().statusCode()).isEqualTo(400));
    }

    @Test
    void audioBeforeSessionUpdateBadBase64AndBetaFieldsAreViolations() throws Exception {
        Client client = connect(server.uri(), KEY);
        client.next();
        client.send("{\"type\":\"input_audio_buffer.append\",\"audio\":\"AAAAAA==\"}");
        client.send("{\"type\":\"session.update\",\"session\":{\"type\":\"realtime\",\"voice\":\"marin\"}}");
        client.send("{\"type\":\"input_audio_buffer.append\",\"audio\":\"not base64!\"}");
        server.awaitType("session.update", WAIT);
        await().atMost(WAIT).until(() -> server.violations().size() == 3);
        assertThat(server.violations().get(0)).contains("session.update must be the first");
        assertThat(server.violations().get(1)).contains("session.voice is beta");
        assertThat(server.violations().get(2)).contains("not base64");
    }

    @Test
    void aTruncateLongerThanTheAudioIsAnErrorAsOnTheRealApi() throws Exception {
        Client client = connect(server.uri(), KEY);
        client.next();
        new RealtimeDialect(16000, MODEL, "marin", null)
                .start(new CallFacts("c-3", "a", "b", "bot", "G722", 24000), null)
                .forEach(client::send);
        client.next(); // session.updated
        server.sendAudioDelta("item_9", new short[2400]); // 100 ms
        client.next();
        client.send("{\"type\":\"conversation.item.truncate\",\"item_id\":\"item_9\",\"content_index\":0,"
                + "\"audio_end_ms\":500}");
        JsonNode error = client.next();
        assertThat(error.get("type").asText()).isEqualTo("error");
        assertThat(error.path("error").path("code").asText()).isEqualTo("invalid_value");
        assertThat(server.violations()).singleElement().asString().contains("longer than the item's 100 ms");
    }

    @Test
    void theServerClosesWithTheCodeItIsGiven() throws Exception {
        Client client = connect(server.uri(), KEY);
        client.next();
        server.close(1011, "going away");
        assertThat(client.closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(1011);
    }

    private static short[] concat(List<short[]> parts) {
        short[] out = new short[parts.stream().mapToInt(p -> p.length).sum()];
        int at = 0;
        for (short[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }
}
