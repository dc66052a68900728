package dev.softswitch.bridge.assistant.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.softswitch.assistant.CallFacts;
import dev.softswitch.assistant.DtmfEvent;
import dev.softswitch.bridge.assistant.RecordingActions;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The plain dialect, message by message, as docs/assistant-protocol.md describes it. */
class AudioDialectTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CallFacts CALL = new CallFacts(
            "c-9",
            "sip:alice@pbx",
            "sip:support@softswitch",
            "support",
            "G722",
            16000,
            "inbound",
            Map.of("lang", "en"));

    private final AudioDialect dialect = new AudioDialect(16000, Map.of("tenant", "acme"));

    @Test
    void startCarriesTheCallTheAudioFormatTheParametersAndTheGreeting() throws Exception {
        assertThat(dialect.start(CALL, "Hi!")).hasSize(1);
        JsonNode start = JSON.readTree((String) dialect.start(CALL, "Hi!").get(0));
        assertThat(start).isEqualTo(JSON.readTree("""
                {"type":"start","protocol":"softswitch-audio","version":1,
                 "call":{"id":"c-9","from":"sip:alice@pbx","to":"sip:support@softswitch","assistant":"support",
                         "direction":"inbound","codec":"G722"},
                 "audio":{"encoding":"pcm_s16le","sample_rate":16000,"channels":1,"frame_ms":20},
                 "parameters":{"lang":"en","tenant":"acme"},
                 "greeting":"Hi!"}"""));
        JsonNode without = JSON.readTree((String) dialect.start(CALL, null).get(0));
        assertThat(without.has("greeting")).isFalse();
    }

    @Test
    void audioIsOneBinaryFrameOfLittleEndianSamples() {
        short[] frame = new short[320];
        frame[0] = 0x1234;
        frame[319] = -2;
        byte[] bytes = (byte[]) dialect.media(frame);
        assertThat(bytes).hasSize(640);
        assertThat(bytes[0]).isEqualTo((byte) 0x34);
        assertThat(bytes[1]).isEqualTo((byte) 0x12);
        assertThat(bytes[638]).isEqualTo((byte) 0xfe);
        assertThat(bytes[639]).isEqualTo((byte) 0xff);
    }

    @Test
    void controlMessagesOut() throws Exception {
        assertThat(JSON.readTree(dialect.dtmf(new DtmfEvent('#', 80, DtmfEvent.Method.INFO))))
                .isEqualTo(JSON.readTree("{\"type\":\"dtmf\",\"digit\":\"#\",\"duration_ms\":80,\"method\":\"info\"}"));
        assertThat(JSON.readTree(dialect.markReached("a", true)))
                .isEqualTo(JSON.readTree("{\"type\":\"mark\",\"name\":\"a\",\"played\":true}"));
        assertThat(JSON.readTree(dialect.markReached("b", false)))
                .isEqualTo(JSON.readTree("{\"type\":\"mark\",\"name\":\"b\",\"played\":false}"));
        assertThat(JSON.readTree(dialect.text("hello")))
                .isEqualTo(JSON.readTree("{\"type\":\"text\",\"text\":\"hello\"}"));
        assertThat(JSON.readTree(dialect.transferFailed("+15550100", "the target answered 486 Busy Here")))
                .isEqualTo(JSON.readTree("{\"type\":\"transfer_failed\",\"to\":\"+15550100\","
                        + "\"reason\":\"the target answered 486 Busy Here\"}"));
        assertThat(JSON.readTree(dialect.stop("caller hung up")))
                .isEqualTo(JSON.readTree("{\"type\":\"stop\",\"reason\":\"caller hung up\"}"));
    }

    @Test
    void idleAsksTheBotToPromptTheCaller() throws Exception {
        assertThat(JSON.readTree(dialect.idle(30_000)))
                .isEqualTo(JSON.readTree("{\"type\":\"idle\",\"idle_ms\":30000}"));
    }

    @Test
    void controlMessagesInBecomeActions() throws Exception {
        RecordingActions actions = new RecordingActions();
        dialect.onBinary(new byte[] {1, 0, -1, -1, 0, 0x40}, actions);
        dialect.onText("{\"type\":\"mark\",\"name\":\"end\"}", actions);
        dialect.onText("{\"type\":\"clear\"}", actions);
        dialect.onText("{\"type\":\"dtmf\",\"digits\":\"12#a\"}", actions);
        dialect.onText("{\"type\":\"transfer\",\"to\":\"sip:agent@pbx\"}", actions);
        dialect.onText("{\"type\":\"future-thing\"}", actions);
        dialect.onText("{\"type\":\"hangup\",\"reason\":\"done\"}", actions);
        assertThat(actions.log)
                .containsExactly("play 3", "mark end", "clear", "dtmf 12#A", "transfer sip:agent@pbx", "hangup done");
        assertThat(actions.audio.get(0)).containsExactly((short) 1, (short) -1, (short) 0x4000);
    }

    @Test
    void brokenMessagesAreRefusedWithTheFieldNamed() {
        RecordingActions actions = new RecordingActions();
        assertThatThrownBy(() -> dialect.onBinary(new byte[3], actions)).hasMessageContaining("3 bytes");
        assertThatThrownBy(() -> dialect.onText("{\"type\":\"mark\"}", actions))
                .hasMessage("name is required (a string)");
        assertThatThrownBy(() -> dialect.onText("{\"type\":\"dtmf\",\"digits\":\"9x\"}", actions))
                .hasMessageContaining("dtmf.digits");
        assertThatThrownBy(() -> dialect.onText("[1,2]", actions)).hasMessage("expected a JSON object");
        assertThat(actions.log).isEmpty();
    }

    @Test
    void onlyTheThreeRatesAreAllowed() {
        assertThatThrownBy(() -> new AudioDialect(44100, Map.of())).hasMessageContaining("44100");
    }
}
