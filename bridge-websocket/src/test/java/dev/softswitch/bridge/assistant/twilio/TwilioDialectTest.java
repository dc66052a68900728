package dev.softswitch.bridge.assistant.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.softswitch.assistant.CallFacts;
import dev.softswitch.assistant.DtmfEvent;
import dev.softswitch.bridge.assistant.BotProtocolException;
import dev.softswitch.bridge.assistant.RecordingActions;
import dev.softswitch.codecs.G711;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every message of Twilio Media Streams against the documented shapes (shared/reference/providers.md 1.2, 1.3). */
class TwilioDialectTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CallFacts CALL =
            new CallFacts("c-1", "sip:+15550001@carrier", "sip:+15550002@softswitch", "sales", "PCMU", 8000);

    private final TwilioDialect dialect = new TwilioDialect(Map.of("tenant", "acme"));

    private static JsonNode parse(Object message) throws Exception {
        assertThat(message).isInstanceOf(String.class);
        return JSON.readTree((String) message);
    }

    @Test
    void connectedIsExactlyTheDocumentedMessage() throws Exception {
        List<Object> opening = dialect.start(CALL, null);
        assertThat(parse(opening.get(0)))
                .isEqualTo(
                        JSON.readTree("{ \"event\": \"connected\", \"protocol\": \"Call\", \"version\": \"1.0.0\" }"));
    }

    @Test
    void startHasTheDocumentedShapeWithStringSequenceNumbersAndTheCustomParameters() throws Exception {
        JsonNode start = parse(dialect.start(CALL, "Hello there").get(1));
        String streamSid = start.get("streamSid").asText();
        assertThat(streamSid).matches("MZ[0-9a-f]{32}");
        assertThat(start.get("event").asText()).isEqualTo("start");
        assertThat(start.get("sequenceNumber").isTextual()).isTrue();
        assertThat(start.get("sequenceNumber").asText()).isEqualTo("1");
        JsonNode body = start.get("start");
        assertThat(body.get("streamSid").asText()).isEqualTo(streamSid);
        assertThat(body.get("accountSid").asText()).matches("AC[0-9a-f]{32}");
        assertThat(body.get("callSid").asText()).matches("CA[0-9a-f]{32}");
        assertThat(body.get("tracks")).isEqualTo(JSON.readTree("[\"inbound\"]"));
        assertThat(body.get("mediaFormat"))
                .isEqualTo(JSON.readTree("{ \"encoding\": \"audio/x-mulaw\", \"sampleRate\": 8000, \"channels\": 1 }"));
        assertThat(body.get("customParameters"))
                .isEqualTo(JSON.readTree("{\"From\":\"sip:+15550001@carrier\",\"To\":\"sip:+15550002@softswitch\","
                        + "\"Direction\":\"inbound\",\"greeting\":\"Hello there\",\"tenant\":\"acme\"}"));
        assertThat(start.fieldNames()).toIterable().containsExactly("event", "sequenceNumber", "start", "streamSid");
    }

    @Test
    void theSameCallAlwaysGetsTheSameStreamSidAndAnotherCallAnother() throws Exception {
        String first = parse(dialect.start(CALL, null).get(1)).get("streamSid").asText();
        String again = parse(new TwilioDialect(Map.of()).start(CALL, null).get(1))
                .get("streamSid")
                .asText();
        CallFacts other = new CallFacts("c-2", "a", "b", "sales", "PCMU", 8000);
        String another = parse(new TwilioDialect(Map.of()).start(other, null).get(1))
                .get("streamSid")
                .asText();
        assertThat(again).isEqualTo(first);
        assertThat(another).isNotEqualTo(first);
    }

    @Test
    void mediaCountsSequenceChunkAndTimestampAsStringsAndCarriesMuLaw() throws Exception {
        String streamSid =
                parse(dialect.start(CALL, null).get(1)).get("streamSid").asText();
        short[] frame = new short[160];
        for (int i = 0; i < frame.length; i++) {
            frame[i] = (short) (i * 100 - 8000);
        }
        JsonNode first = parse(dialect.media(frame));
        JsonNode second = parse(dialect.media(frame));

        assertThat(first.fieldNames()).toIterable().containsExactly("event", "sequenceNumber", "media", "streamSid");
        assertThat(first.get("event").asText()).isEqualTo("media");
        assertThat(first.get("sequenceNumber").asText()).isEqualTo("2");
        assertThat(first.get("streamSid").asText()).isEqualTo(streamSid);
        JsonNode media = first.get("media");
        assertThat(media.get("track").asText()).isEqualTo("inbound");
        assertThat(media.get("chunk").asText()).isEqualTo("1");
        assertThat(media.get("timestamp").asText()).isEqualTo("0");
        byte[] expected = new byte[160];
        G711.encodeUlaw(frame, 0, expected, 0, 160);
        assertThat(Base64.getDecoder().decode(media.get("payload").asText())).isEqualTo(expected);

        assertThat(second.get("sequenceNumber").asText()).isEqualTo("3");
        assertThat(second.get("media").get("chunk").asText()).isEqualTo("2");
        assertThat(second.get("media").get("timestamp").asText()).isEqualTo("20");
    }

    @Test
    void dtmfMarkAndStopHaveTheDocumentedShapes() throws Exception {
        String streamSid =
                parse(dialect.start(CALL, null).get(1)).get("streamSid").asText();
        JsonNode dtmf = parse(dialect.dtmf(new DtmfEvent('1', 120, DtmfEvent.Method.RFC4733)));
        assertThat(dtmf)
                .isEqualTo(
                        JSON.readTree(
                                "{ \"event\": \"dtmf\", \"streamSid\": \"" + streamSid
                                        + "\", \"sequenceNumber\": \"2\", \"dtmf\": { \"track\": \"inbound_track\", \"digit\": \"1\" } }"));
        JsonNode mark = parse(dialect.markReached("my label", true));
        assertThat(mark)
                .isEqualTo(JSON.readTree("{ \"event\": \"mark\", \"sequenceNumber\": \"3\", \"streamSid\": \""
                        + streamSid + "\", \"mark\": { \"name\": \"my label\" } }"));
        JsonNode stop = parse(dialect.stop("call ended"));
        assertThat(stop.get("event").asText()).isEqualTo("stop");
        assertThat(stop.get("sequenceNumber").asText()).isEqualTo("4");
        assertThat(stop.get("streamSid").asText()).isEqualTo(streamSid);
        assertThat(stop.get("stop").get("accountSid").asText()).matches("AC[0-9a-f]{32}");
        assertThat(stop.get("stop").get("callSid").asText()).matches("CA[0-9a-f]{32}");
    }

    @Test
    void aMarkDroppedByAClearIsReturnedTooAsTwilioDoes() throws Exception {
        dialect.start(CALL, null);
        assertThat(parse(dialect.markReached("resp-42", false))
                        .get("mark")
                        .get("name")
                        .asText())
                .isEqualTo("resp-42");
    }

    @Test
    void textMessagesHaveNoTwilioEquivalent() {
        assertThat(dialect.text("hello")).isNull();
    }

    @Test
    void idleHasNoTwilioEquivalentSoTheSoftswitchPromptsItself() {
        assertThat(dialect.idle(30_000)).isNull();
    }

    @Test
    void theBotsMediaMarkAndClearBecomeActions() throws Exception {
        byte[] ulaw = new byte[400]; // "of any size"
        for (int i = 0; i < ulaw.length; i++) {
            ulaw[i] = (byte) i;
        }
        String payload = Base64.getEncoder().encodeToString(ulaw);
        RecordingActions actions = new RecordingActions();
        dialect.onText(
                "{ \"event\": \"media\", \"streamSid\": \"MZ1\", \"media\": { \"payload\": \"" + payload + "\" } }",
                actions);
        dialect.onText(
                "{ \"event\": \"mark\",  \"streamSid\": \"MZ1\", \"mark\":  { \"name\": \"resp-42\" } }", actions);
        dialect.onText("{ \"event\": \"clear\", \"streamSid\": \"MZ1\" }", actions);
        dialect.onText("{ \"event\": \"something-new\", \"streamSid\": \"MZ1\" }", actions);

        assertThat(actions.log).containsExactly("play 400", "mark resp-42", "clear");
        short[] expected = new short[400];
        G711.decodeUlaw(ulaw, 0, expected, 0, 400);
        assertThat(actions.audio.get(0)).isEqualTo(expected);
    }

    @Test
    void whatWeSendComesBackAsTheSameAudio() throws Exception {
        dialect.start(CALL, null);
        short[] frame = new short[160];
        for (int i = 0; i < frame.length; i++) {
            frame[i] = (short) (Math.sin(i / 3.0) * 12000);
        }
        JsonNode media = parse(dialect.media(frame));
        RecordingActions actions = new RecordingActions();
        dialect.onText(
                "{\"event\":\"media\",\"streamSid\":\"x\",\"media\":{\"payload\":\""
                        + media.get("media").get("payload").asText() + "\"}}",
                actions);
        short[] back = actions.audio.get(0);
        for (int i = 0; i < frame.length; i++) {
            // G.711 keeps 13 bits of the 16: within half a quantisation step (at most 1/16 of the value plus 4).
            assertThat(Math.abs(back[i] - frame[i])).isLessThanOrEqualTo(Math.abs(frame[i]) / 16 + 4);
        }
    }

    @Test
    void brokenMessagesCloseTheSocketWithTheRightCode() {
        RecordingActions actions = new RecordingActions();
        assertThatThrownBy(() -> dialect.onText("not json", actions))
                .isInstanceOf(BotProtocolException.class)
                .satisfies(
                        e -> assertThat(((BotProtocolException) e).closeCode()).isEqualTo(1007));
        assertThatThrownBy(() -> dialect.onText("{\"streamSid\":\"x\"}", actions))
                .hasMessage("event is required (a string)")
                .satisfies(
                        e -> assertThat(((BotProtocolException) e).closeCode()).isEqualTo(1008));
        assertThatThrownBy(() -> dialect.onText("{\"event\":\"media\",\"media\":{}}", actions))
                .hasMessage("media.payload is required (a string)");
        assertThatThrownBy(() -> dialect.onText("{\"event\":\"media\",\"media\":{\"payload\":\"***\"}}", actions))
                .hasMessageStartingWith("media.payload is not base64")
                .satisfies(
                        e -> assertThat(((BotProtocolException) e).closeCode()).isEqualTo(1007));
        assertThatThrownBy(() -> dialect.onText("{\"event\":\"mark\",\"mark\":{}}", actions))
                .hasMessage("mark.name is required (a string)");
        assertThatThrownBy(() -> dialect.onBinary(new byte[160], actions))
                .hasMessageContaining("JSON text frames only");
        assertThat(actions.log).isEmpty();
    }
}
