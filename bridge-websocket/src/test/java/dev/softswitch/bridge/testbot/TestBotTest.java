package dev.softswitch.bridge.testbot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softswitch.codecs.G711;
import dev.softswitch.codecs.Goertzel;
import dev.softswitch.codecs.Pcm;
import dev.softswitch.codecs.ToneGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class TestBotTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STREAM = "MZ" + "0123456789abcdef".repeat(2);
    private static final String CALL = "CA" + "fedcba9876543210".repeat(2);
    private static final String ACCOUNT = "AC" + "00112233445566778899aabbccddeeff";

    @Test
    void twilioSequenceAsTwilioSendsItHasNoViolations() {
        try (TestBot bot = TestBot.start(TestBot.Dialect.TWILIO, TestBot.Behaviour.SILENT);
                JdkWebSocketClient client = JdkWebSocketClient.connect(
                        bot.url().resolve("/bot/acme"), Map.of("Authorization", "Bearer t0k3n"))) {
            BotSession session = bot.awaitSession(WAIT);
            byte[] first = ulawTone(160, 0);
            byte[] second = ulawTone(160, 160);

            client.send(connected());
            client.send(start(1).toString());
            session.awaitEvent("start", WAIT);
            session.sendMark("greeting-done");
            JsonNode mark = client.awaitJson(WAIT);
            client.send(media(2, 1, 0, first).toString());
            client.send(media(3, 2, 20, second).toString());
            client.send(twilio("dtmf", 4)
                    .set(
                            "dtmf",
                            JSON.createObjectNode()
                                    .put("track", "inbound_track")
                                    .put("digit", "#"))
                    .toString());
            client.send(twilio("mark", 5)
                    .set("mark", JSON.createObjectNode().put("name", "greeting-done"))
                    .toString());
            client.send(twilio("stop", 6)
                    .set(
                            "stop",
                            JSON.createObjectNode().put("accountSid", ACCOUNT).put("callSid", CALL))
                    .toString());
            session.awaitEvent("stop", WAIT);

            assertThat(session.violations()).isEmpty();
            assertThat(mark)
                    .isEqualTo(json("{\"event\":\"mark\",\"streamSid\":\"" + STREAM
                            + "\",\"mark\":{\"name\":\"greeting-done\"}}"));
            assertThat(session.streamSid()).isEqualTo(STREAM);
            assertThat(session.path()).isEqualTo("/bot/acme");
            assertThat(session.requestHeaders().get("Authorization")).isEqualTo("Bearer t0k3n");
            assertThat(session.received()).hasSize(7);
            assertThat(session.receivedAudioFrames()).isEqualTo(2);
            assertThat(session.receivedAudio()).containsExactly(concat(decode(first), decode(second)));
            assertThat(session.markEchoes())
                    .singleElement()
                    .satisfies(echo -> assertThat(echo.name()).isEqualTo("greeting-done"))
                    .satisfies(echo -> assertThat(echo.played()).isEmpty());
            assertThat(bot.connections()).isEqualTo(1);
        }
    }

    @Test
    void twilioMistakesAreNamedByMessageAndRule() {
        try (TestBot bot = TestBot.start(TestBot.Dialect.TWILIO, TestBot.Behaviour.SILENT);
                JdkWebSocketClient client = JdkWebSocketClient.connect(bot.url(), Map.of())) {
            BotSession session = bot.awaitSession(WAIT);
            byte[] audio = ulawTone(160, 0);

            client.send(connected());
            client.send(start(1).toString());
            ObjectNode numeric = media(2, 1, 0, audio);
            numeric.put("sequenceNumber", 2);
            client.send(numeric.toString());
            ObjectNode noSid = media(3, 2, 20, audio);
            noSid.remove("streamSid");
            client.send(noSid.toString());
            client.send(media(4, 4, 40, audio).toString()); // chunk 3 skipped
            ObjectNode badPayload = media(5, 5, 60, audio);
            ((ObjectNode) badPayload.get("media")).put("payload", "not base64!");
            client.send(badPayload.toString());
            client.send(twilio("dtmf", 6)
                    .set("dtmf", JSON.createObjectNode().put("track", "inbound").put("digit", "X"))
                    .toString());
            client.send(twilio("stop", 7)
                    .set(
                            "stop",
                            JSON.createObjectNode().put("accountSid", ACCOUNT).put("callSid", CALL))
                    .toString());
            client.send(new byte[160]);
            client.send(media(8, 6, 80, audio).toString());
            session.awaitEvents("media", 5, WAIT);

            assertThat(session.violations())
                    .containsExactly(
                            "message #2 (media): sequenceNumber must be a string, not the NUMBER 2",
                            "message #3 (media): has no top-level string streamSid (every message after connected"
                                    + " carries one)",
                            "message #4 (media): media.chunk must be \"3\" (starts at 1, +1 per media), not \"4\"",
                            "message #5 (media): media.payload is not valid base64: Illegal base64 character 20",
                            "message #6 (dtmf): dtmf.track must be the string \"inbound_track\", not \"inbound\"",
                            "message #6 (dtmf): dtmf.digit must be one of 0-9 * # A-D, not \"X\"",
                            "binary frame #0 (160 bytes): Twilio Media Streams sends JSON text frames only, never"
                                    + " binary",
                            "message #8 (media): arrives after stop: stop must be the last message");
        }
    }

    @Test
    void twilioConnectedCarriesNoSequenceNumberAndStartIsOne() {
        try (TestBot bot = TestBot.start(TestBot.Dialect.TWILIO, TestBot.Behaviour.SILENT);
                JdkWebSocketClient client = JdkWebSocketClient.connect(bot.url(), Map.of())) {
            BotSession session = bot.awaitSession(WAIT);
            client.send("{\"event\":\"connected\",\"sequenceNumber\":\"1\",\"protocol\":\"Call\",\"version\":\"1.0\"}");
            ObjectNode start = start(2);
            ((ObjectNode) start.get("start").get("mediaFormat")).put("sampleRate", "8000");
            client.send(start.toString());
            session.awaitEvent("start", WAIT);

            assertThat(session.violations())
                    .containsExactly(
                            "message #0 (connected): version must be the string \"1.0.0\", not \"1.0\"",
                            "message #0 (connected): connected carries only event, protocol and version"
                                    + " (providers.md 1.2), not \"sequenceNumber\"; the sequence starts at 1 on start",
                            "message #1 (start): start.mediaFormat.sampleRate must be the number 8000, not \"8000\"",
                            "message #1 (start): sequenceNumber must be \"1\" (starts at 1 on start, +1 per message),"
                                    + " not \"2\"");
        }
    }

    @Test
    void echoSendsTwilioMediaBackAsIs() {
        try (TestBot bot = TestBot.start(TestBot.Dialect.TWILIO, TestBot.Behaviour.ECHO);
                JdkWebSocketClient client = JdkWebSocketClient.connect(bot.url(), Map.of())) {
            BotSession session = bot.awaitSession(WAIT);
            byte[] audio = ulawTone(160, 0);
            client.send(connected());
            client.send(start(1).toString());
            client.send(media(2, 1, 0, audio).toString());

            assertThat(client.awaitJson(WAIT))
                    .isEqualTo(json("{\"event\":\"media\",\"streamSid\":\"" + STREAM + "\",\"media\":{\"payload\":\""
                            + Base64.getEncoder().encodeToString(audio) + "\"}}"));

            session.sendMedia(decode(audio)); // mu-law survives decode and encode unchanged
            assertThat(client.awaitJson(WAIT).path("media").path("payload").asText())
                    .isEqualTo(Base64.getEncoder().encodeToString(audio));
            session.sendClear();
            assertThat(client.awaitJson(WAIT))
                    .isEqualTo(json("{\"event\":\"clear\",\"streamSid\":\"" + STREAM + "\"}"));
            assertThat(session.violations()).isEmpty();
        }
    }

    @Test
    void echoSendsAudioFramesBackAsIs() {
        try (TestBot bot = TestBot.start(TestBot.Dialect.AUDIO, TestBot.Behaviour.ECHO);
                JdkWebSocketClient client = JdkWebSocketClient.connect(bot.url(), Map.of())) {
            BotSession session = bot.awaitSession(WAIT);
            client.send(audioStart(16000).toString());
            byte[] frame = Pcm.toLittleEndian(new ToneGenerator(440, 16000, 0.5).next(320));
            client.send(frame);

            assertThat(client.awaitBinary(WAIT)).isEqualTo(frame);
            assertThat(session.sampleRate()).isEqualTo(16000);
            assertThat(session.violations()).isEmpty();
        }
    }

    @Test
    void rejectAnswersTheUpgradeWith403() {
        try (TestBot bot = TestBot.start(TestBot.Dialect.TWILIO, TestBot.Behaviour.REJECT)) {
            assertThatThrownBy(() -> JdkWebSocketClient.connect(bot.url(), Map.of()))
                    .isInstanceOf(CompletionException.class)
                    .cause()
                    .isInstanceOfSatisfying(
                            WebSocketHandshakeException.class,
                            e -> assertThat(e.getResponse().statusCode()).isEqualTo(403));
            assertThat(bot.connections()).isEqualTo(1);
            assertThat(bot.sessions()).isEmpty();
        }
    }

    @Test
    void noHandshakeReadsTheUpgradeAndNeverAnswers() throws IOException {
        try (TestBot bot = TestBot.start(TestBot.Dialect.AUDIO, TestBot.Behaviour.NO_HANDSHAKE);
                Socket socket = new Socket(bot.url().getHost(), bot.url().getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /bot HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            socket.setSoTimeout(300);
            InputStream in = socket.getInputStream();

            assertThatThrownBy(in::read).isInstanceOf(SocketTimeoutException.class);
            assertThat(bot.connections()).isEqualTo(1);
            assertThat(bot.sessions()).isEmpty();
        }
    }

    @Test
    void marksAreEchoedOnlyIfSentAndOnlyOnce() {
        try (TestBot bot = TestBot.start(TestBot.Dialect.AUDIO, TestBot.Behaviour.SILENT);
                JdkWebSocketClient client = JdkWebSocketClient.connect(bot.url(), Map.of())) {
            BotSession session = bot.awaitSession(WAIT);
            client.send(audioStart(8000).toString());
            session.awaitEvent("start", WAIT);
            session.sendMark("a");
            assertThat(client.awaitJson(WAIT)).isEqualTo(json("{\"type\":\"mark\",\"name\":\"a\"}"));

            client.send("{\"type\":\"mark\",\"name\":\"a\",\"played\":true}");
            client.send("{\"type\":\"mark\",\"name\":\"a\",\"played\":true}");
            client.send("{\"type\":\"mark\",\"name\":\"b\",\"played\":false}");
            session.awaitEvents("mark", 3, WAIT);

            assertThat(session.violations())
                    .containsExactly(
                            "message #2 (mark): mark \"a\" was already echoed (a mark comes back once per send)",
                            "message #3 (mark): mark \"b\" names no mark this bot sent");
            assertThat(session.markEchoes())
                    .extracting(MarkEcho::name, MarkEcho::played)
                    .containsExactly(
                            tuple("a", Optional.of(true)),
                            tuple("a", Optional.of(true)),
                            tuple("b", Optional.of(false)));
        }
    }

    @Test
    void audioBinaryFramesMustBeOneTwentyMillisecondFrameAfterStart() {
        try (TestBot bot = TestBot.start(TestBot.Dialect.AUDIO, TestBot.Behaviour.SILENT);
                JdkWebSocketClient client = JdkWebSocketClient.connect(bot.url(), Map.of())) {
            BotSession session = bot.awaitSession(WAIT);
            client.send(new byte[640]);
            client.send(audioStart(16000).toString());
            client.send(new byte[640]);
            client.send(new byte[320]);
            client.send("{\"type\":\"stop\",\"reason\":\"hangup\"}");
            session.awaitEvent("stop", WAIT);

            assertThat(session.violations())
                    .containsExactly(
                            "binary frame #0 (640 bytes): arrives before start: start must be the first message",
                            "binary frame #2 (320 bytes): is not one 20 ms frame of 16-bit mono PCM at 16000 Hz"
                                    + " (640 bytes)");
            assertThat(session.receivedAudioFrames()).isEqualTo(3);
            assertThat(session.receivedAudio()).hasSize(800);
        }
    }

    @Test
    void audioStartMustBeWellFormed() {
        try (TestBot bot = TestBot.start(TestBot.Dialect.AUDIO, TestBot.Behaviour.SILENT);
                JdkWebSocketClient client = JdkWebSocketClient.connect(bot.url(), Map.of())) {
            BotSession session = bot.awaitSession(WAIT);
            ObjectNode start = audioStart(11025);
            start.put("version", "1");
            ((ObjectNode) start.get("call")).remove("codec");
            start.putNull("greeting");
            client.send(start.toString());
            client.send("{\"type\":\"dtmf\",\"digit\":\"5\",\"duration_ms\":120,\"method\":\"sip\"}");
            session.awaitEvent("dtmf", WAIT);

            assertThat(session.violations())
                    .containsExactly(
                            "message #0 (start): version must be the number 1, not \"1\"",
                            "message #0 (start): call.codec must be a string, not null",
                            "message #0 (start): audio.sample_rate must be the number 8000, 16000 or 24000, not 11025",
                            "message #0 (start): greeting must be a string or absent, not null",
                            "message #1 (dtmf): method must be one of [rfc4733, info, inband], not \"sip\"");
        }
    }

    @Test
    void toneIsSentInChunksAtTheSessionRate() {
        try (TestBot bot = TestBot.start(TestBot.Dialect.AUDIO, TestBot.Behaviour.SILENT);
                JdkWebSocketClient client = JdkWebSocketClient.connect(bot.url(), Map.of())) {
            BotSession session = bot.awaitSession(WAIT);
            client.send(audioStart(8000).toString());
            session.awaitEvent("start", WAIT);
            session.sendTone(1000, 100, 0.5, 20);

            short[] tone = new short[800];
            for (int i = 0; i < 5; i++) {
                byte[] frame = client.awaitBinary(WAIT);
                assertThat(frame).hasSize(320);
                System.arraycopy(Pcm.fromLittleEndian(frame, 0, frame.length), 0, tone, i * 160, 160);
            }
            assertThat(Goertzel.relativePower(tone, 0, tone.length, 1000, 8000)).isGreaterThan(0.9);
        }
    }

    @Test
    void closeFramesAreRecordedAndAnswered() {
        try (TestBot bot = TestBot.start(TestBot.Dialect.AUDIO, TestBot.Behaviour.SILENT);
                JdkWebSocketClient client = JdkWebSocketClient.connect(bot.url(), Map.of())) {
            BotSession session = bot.awaitSession(WAIT);
            client.sendClose(1000, "bye");

            assertThat(client.awaitEnd(WAIT)).isEqualTo("close 1000 ");
            session.awaitClosed(WAIT);
            assertThat(session.closeCode()).contains(1000);
            assertThat(session.closeReason()).contains("bye");
            assertThat(session.isOpen()).isFalse();
        }
    }

    @Test
    void botCloseSendsItsCodeAndAbortSendsNone() {
        try (TestBot bot = TestBot.start(TestBot.Dialect.AUDIO, TestBot.Behaviour.SILENT);
                JdkWebSocketClient first = JdkWebSocketClient.connect(bot.url(), Map.of());
                JdkWebSocketClient second = JdkWebSocketClient.connect(bot.url(), Map.of())) {
            BotSession closing = bot.awaitSession(WAIT);
            BotSession aborting = bot.awaitSession(WAIT);
            closing.close(4001, "bot done");
            aborting.abort();

            assertThat(first.awaitEnd(WAIT)).isEqualTo("close 4001 bot done");
            closing.awaitClosed(WAIT);
            assertThat(second.awaitEnd(WAIT)).doesNotStartWith("close 1000").doesNotStartWith("close 4001");
            aborting.awaitClosed(WAIT);
            assertThat(aborting.closeCode()).isEmpty();
            assertThat(bot.connections()).isEqualTo(2);
        }
    }

    // ---- messages as Twilio sends them (providers.md 1.2) ----

    private static String connected() {
        return "{\"event\":\"connected\",\"protocol\":\"Call\",\"version\":\"1.0.0\"}";
    }

    private static ObjectNode twilio(String event, int sequenceNumber) {
        return JSON.createObjectNode()
                .put("event", event)
                .put("sequenceNumber", Integer.toString(sequenceNumber))
                .put("streamSid", STREAM);
    }

    private static ObjectNode start(int sequenceNumber) {
        ObjectNode start = twilio("start", sequenceNumber);
        ObjectNode body = start.putObject("start")
                .put("accountSid", ACCOUNT)
                .put("streamSid", STREAM)
                .put("callSid", CALL);
        body.putArray("tracks").add("inbound");
        body.putObject("mediaFormat")
                .put("encoding", "audio/x-mulaw")
                .put("sampleRate", 8000)
                .put("channels", 1);
        body.putObject("customParameters").put("tenant", "acme");
        return start;
    }

    private static ObjectNode media(int sequenceNumber, int chunk, int timestamp, byte[] ulaw) {
        ObjectNode media = twilio("media", sequenceNumber);
        media.putObject("media")
                .put("track", "inbound")
                .put("chunk", Integer.toString(chunk))
                .put("timestamp", Integer.toString(timestamp))
                .put("payload", Base64.getEncoder().encodeToString(ulaw));
        return media;
    }

    private static ObjectNode audioStart(int sampleRate) {
        ObjectNode start = JSON.createObjectNode()
                .put("type", "start")
                .put("protocol", "softswitch-audio")
                .put("version", 1);
        start.putObject("call")
                .put("id", "call-1")
                .put("from", "sip:alice@example.com")
                .put("to", "sip:bot@example.com")
                .put("assistant", "support")
                .put("direction", "inbound")
                .put("codec", "PCMU");
        start.putObject("audio")
                .put("encoding", "pcm_s16le")
                .put("sample_rate", sampleRate)
                .put("channels", 1)
                .put("frame_ms", 20);
        start.putObject("parameters").put("tenant", "acme");
        start.put("greeting", "Hello");
        return start;
    }

    private static byte[] ulawTone(int samples, int skip) {
        ToneGenerator tone = new ToneGenerator(440, 8000, 0.5);
        tone.next(skip);
        short[] pcm = tone.next(samples);
        byte[] ulaw = new byte[samples];
        G711.encodeUlaw(pcm, 0, ulaw, 0, samples);
        return ulaw;
    }

    private static short[] decode(byte[] ulaw) {
        short[] pcm = new short[ulaw.length];
        G711.decodeUlaw(ulaw, 0, pcm, 0, ulaw.length);
        return pcm;
    }

    private static short[] concat(short[] a, short[] b) {
        short[] all = new short[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
