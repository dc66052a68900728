package dev.softswitch.bridge.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.softswitch.assistant.context.CallContext;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CallContextJsonTest {

    @Test
    void aContextSurvivesTheRoundTrip() {
        CallContext context = new CallContext(
                "sales-bot",
                Map.of("customer", "Ada", "softswitch.call_id", "0a1b2c3d4e5f", "quote", "\"é\"\n"),
                "+15551234567",
                "carrier-a",
                Instant.parse("2025-03-01T12:34:56.789Z"));

        assertThat(CallContextJson.read(CallContextJson.write(context))).isEqualTo(context);
    }

    @Test
    void aContextWithoutTrunkOrVariablesToo() {
        CallContext context =
                new CallContext("echo", Map.of(), "sip:bob@127.0.0.1:5080", null, Instant.ofEpochSecond(1));

        assertThat(CallContextJson.read(CallContextJson.write(context))).isEqualTo(context);
    }

    @Test
    void theGoldenForm() {
        CallContext context =
                new CallContext("echo", Map.of("k", "v"), "+1555", null, Instant.parse("2025-01-01T00:00:00Z"));

        assertThat(CallContextJson.write(context))
                .isEqualTo(
                        "{\"v\":1,\"assistant\":\"echo\",\"variables\":{\"k\":\"v\"},\"to\":\"+1555\",\"trunk\":null,"
                                + "\"created\":\"2025-01-01T00:00:00Z\"}");
    }

    @Test
    void textThatIsNoContextIsRefusedWithItsReason() {
        assertThatThrownBy(() -> CallContextJson.read("{\"v\":2}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version 1");
        assertThatThrownBy(() -> CallContextJson.read("{\"v\":1,\"to\":\"x\",\"created\":\"2025-01-01T00:00:00Z\"}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("call context without assistant");
        assertThatThrownBy(() -> CallContextJson.read("{not json"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unreadable call context");
    }
}
