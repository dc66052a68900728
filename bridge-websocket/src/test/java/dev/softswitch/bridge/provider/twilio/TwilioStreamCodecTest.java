package dev.softswitch.bridge.provider.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.softswitch.assistant.CallFacts;
import dev.softswitch.assistant.DtmfEvent;
import dev.softswitch.bridge.assistant.BotActions;
import dev.softswitch.bridge.assistant.BotProtocolException;
import dev.softswitch.bridge.assistant.twilio.TwilioDialect;
import dev.softswitch.bridge.provider.StreamEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Media Streams from the server's side: the messages of providers.md 1.2 in, those of 1.3 out, golden. */
class TwilioStreamCodecTest {

    private static final String SID = "MZXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX";

    private final TwilioStreamCodec codec = new TwilioStreamCodec();

    private StreamEvent.Started start() throws Exception {
        List<StreamEvent> events = codec.onText("""
                { "event": "start", "sequenceNumber": "1",
                  "start": { "accountSid": "ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", "streamSid": "MZXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
                             "callSid": "CAXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", "tracks": ["inbound"],
                             "mediaFormat": { "encoding": "audio/x-mulaw", "sampleRate": 8000, "channels": 1 },
                             "customParameters": { "FirstName": "Jane", "token": "tok-1" } },
                  "streamSid": "MZXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX" }
                """);
        assertThat(events).hasSize(1);
        return (StreamEvent.Started) events.get(0);
    }

    @Test
    void decodesTheReferenceMessages() throws Exception {
        assertThat(codec.onText("{ \"event\": \"connected\", \"protocol\": \"Call\", \"version\": \"1.0.0\" }"))
                .isEmpty();
        StreamEvent.Started started = start();
        assertThat(started.streamId()).isEqualTo(SID);
        assertThat(started.providerCallId()).isEqualTo("CAXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX");
        assertThat(started.token()).isEqualTo("tok-1");
        assertThat(started.parameters()).containsEntry("FirstName", "Jane");
        assertThat(started.codec()).isEqualTo("PCMU");
        assertThat(started.sampleRate()).isEqualTo(8000);

        List<StreamEvent> media = codec.onText("""
                { "event": "media", "sequenceNumber": "4",
                  "media": { "track": "inbound", "chunk": "2", "timestamp": "5", "payload": "/3//fw==" },
                  "streamSid": "MZXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX" }""");
        assertThat(((StreamEvent.Audio) media.get(0)).samples()).containsExactly(0, 0, 0, 0);
        assertThat(codec.onText("""
                { "event": "dtmf", "streamSid": "MZ...", "sequenceNumber": "5", "dtmf": { "track": "inbound_track", "digit": "1" } }""")).containsExactly(new StreamEvent.Dtmf('1', 0));
        assertThat(codec.onText("""
                { "event": "mark", "sequenceNumber": "4", "streamSid": "MZ...", "mark": { "name": "my label" } }""")).containsExactly(new StreamEvent.MarkPlayed("my label"));
        assertThat(codec.onText("""
                { "event": "stop", "sequenceNumber": "5", "stop": { "accountSid": "AC...", "callSid": "CA..." }, "streamSid": "MZ..." }""")).containsExactly(new StreamEvent.Stopped("stop"));
    }

    @Test
    void encodesMediaMarkAndClearGolden() throws Exception {
        start();
        assertThat(codec.media(new short[] {0, 0, 0, 0}))
                .containsExactly(
                        "{\"event\":\"media\",\"streamSid\":\"" + SID + "\",\"media\":{\"payload\":\"/////w==\"}}");
        assertThat(codec.mark("resp-42"))
                .isEqualTo("{\"event\":\"mark\",\"streamSid\":\"" + SID + "\",\"mark\":{\"name\":\"resp-42\"}}");
        assertThat(codec.clear()).isEqualTo("{\"event\":\"clear\",\"streamSid\":\"" + SID + "\"}");
    }

    @Test
    void refusesWhatTwilioNeverSends() {
        assertThatThrownBy(() -> codec.onText("not json"))
                .isInstanceOfSatisfying(BotProtocolException.class, e -> assertThat(e.closeCode())
                        .isEqualTo(1007));
        assertThatThrownBy(() -> codec.onText("{\"event\":\"media\",\"media\":{}}"))
                .isInstanceOfSatisfying(BotProtocolException.class, e -> assertThat(e.getMessage())
                        .isEqualTo("media.payload is required (a string)"));
        assertThatThrownBy(() -> codec.onText("{\"event\":\"dtmf\",\"dtmf\":{\"digit\":\"x\"}}"))
                .hasMessage("dtmf.digit \"x\" is not one of 0-9 * # A-D");
        assertThatThrownBy(() -> codec.onBinary(new byte[] {1}))
                .isInstanceOfSatisfying(BotProtocolException.class, e -> assertThat(e.closeCode())
                        .isEqualTo(1008));
    }

    /** Round trip: what the bot dialect says as Twilio, this codec reads; what this codec says, the dialect reads. */
    @Test
    void speaksWithTheBotDialectBothWays() throws Exception {
        TwilioDialect twilio = new TwilioDialect(Map.of());
        CallFacts call = new CallFacts(
                "c1", "+15550001", "+15550002", "echo", "PCMU", 8000, "inbound", Map.of("token", "tok-9"));
        List<StreamEvent> events = new ArrayList<>();
        for (Object message : twilio.start(call, null)) {
            events.addAll(codec.onText((String) message));
        }
        short[] frame = new short[160];
        for (int i = 0; i < frame.length; i++) {
            frame[i] = (short) (i * 100);
        }
        events.addAll(codec.onText((String) twilio.media(frame)));
        events.addAll(codec.onText(twilio.dtmf(new DtmfEvent('#', 0, DtmfEvent.Method.RFC4733))));
        events.addAll(codec.onText(twilio.stop("done")));

        assertThat(events).hasSize(4);
        assertThat(((StreamEvent.Started) events.get(0)).token()).isEqualTo("tok-9");
        assertThat(((StreamEvent.Audio) events.get(1)).samples()).hasSize(160);
        assertThat(events.get(2)).isEqualTo(new StreamEvent.Dtmf('#', 0));
        assertThat(events.get(3)).isInstanceOf(StreamEvent.Stopped.class);

        List<String> heard = new ArrayList<>();
        BotActions actions = new BotActions() {
            @Override
            public void play(short[] samples) {
                heard.add("play " + samples.length);
            }

            @Override
            public void mark(String name) {
                heard.add("mark " + name);
            }

            @Override
            public void clear() {
                heard.add("clear");
            }

            @Override
            public void hangup(String reason) {}

            @Override
            public void sendDigits(String digits) {}

            @Override
            public void reply(String message) {}

            @Override
            public void transfer(String target) {}
        };
        twilio.onText((String) codec.media(frame).get(0), actions);
        twilio.onText((String) codec.mark("m1"), actions);
        twilio.onText((String) codec.clear(), actions);
        assertThat(heard).containsExactly("play 160", "mark m1", "clear");
    }
}
