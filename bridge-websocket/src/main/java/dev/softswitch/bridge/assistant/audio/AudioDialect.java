package dev.softswitch.bridge.assistant.audio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softswitch.assistant.CallFacts;
import dev.softswitch.assistant.DtmfEvent;
import dev.softswitch.bridge.assistant.BotActions;
import dev.softswitch.bridge.assistant.BotDialect;
import dev.softswitch.bridge.assistant.BotProtocolException;
import dev.softswitch.bridge.assistant.Json;
import dev.softswitch.codecs.Pcm;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plain dialect for new bots (docs/assistant-protocol.md): a JSON {@code start}, then binary frames of 16-bit
 * little-endian mono PCM at the configured rate both ways, and small JSON control messages ({@code clear},
 * {@code mark}, {@code hangup}, {@code transfer}, {@code dtmf}); we send {@code idle} when the call has gone quiet.
 */
public final class AudioDialect implements BotDialect {

    public static final String PROTOCOL = "softswitch-audio";
    public static final int VERSION = 1;

    private static final Logger log = LoggerFactory.getLogger(AudioDialect.class);

    private final int sampleRate;
    private final Map<String, String> parameters;

    public AudioDialect(int sampleRate, Map<String, String> parameters) {
        if (sampleRate != 8000 && sampleRate != 16000 && sampleRate != 24000) {
            throw new IllegalArgumentException("the audio dialect runs at 8000, 16000 or 24000 Hz, not " + sampleRate);
        }
        this.sampleRate = sampleRate;
        this.parameters = Map.copyOf(parameters);
    }

    @Override
    public int sampleRate() {
        return sampleRate;
    }

    @Override
    public List<Object> start(CallFacts call, @Nullable String greeting) {
        ObjectNode start =
                Json.object().put("type", "start").put("protocol", PROTOCOL).put("version", VERSION);
        start.putObject("call")
                .put("id", call.callId())
                .put("from", call.from())
                .put("to", call.to())
                .put("assistant", call.assistantId())
                .put("direction", call.direction())
                .put("codec", call.codec());
        start.putObject("audio")
                .put("encoding", "pcm_s16le")
                .put("sample_rate", sampleRate)
                .put("channels", 1)
                .put("frame_ms", 20);
        ObjectNode params = start.putObject("parameters");
        call.variables().forEach(params::put);
        parameters.forEach(params::put);
        if (greeting != null) {
            start.put("greeting", greeting);
        }
        return List.of(Json.write(start));
    }

    @Override
    public Object media(short[] frame) {
        return Pcm.toLittleEndian(frame);
    }

    @Override
    public String dtmf(DtmfEvent key) {
        return Json.write(Json.object()
                .put("type", "dtmf")
                .put("digit", String.valueOf(key.digit()))
                .put("duration_ms", key.durationMs())
                .put("method", key.method().name().toLowerCase(Locale.ROOT)));
    }

    @Override
    public String text(String text) {
        return Json.write(Json.object().put("type", "text").put("text", text));
    }

    @Override
    public String markReached(String name, boolean played) {
        return Json.write(Json.object().put("type", "mark").put("name", name).put("played", played));
    }

    /** {@code idle}: the bot should prompt the caller, who has been silent that long. */
    @Override
    public String idle(long idleMillis) {
        return Json.write(Json.object().put("type", "idle").put("idle_ms", idleMillis));
    }

    @Override
    public String transferFailed(String target, String reason) {
        return Json.write(
                Json.object().put("type", "transfer_failed").put("to", target).put("reason", reason));
    }

    @Override
    public String stop(String reason) {
        return Json.write(Json.object().put("type", "stop").put("reason", reason));
    }

    @Override
    public void onText(String message, BotActions actions) throws BotProtocolException {
        JsonNode node = Json.parseObject(message);
        String type = Json.text(node, "type");
        switch (type) {
            case "clear" -> actions.clear();
            case "mark" -> actions.mark(Json.text(node, "name"));
            case "hangup" -> actions.hangup(node.path("reason").asText("bot hung up"));
            case "transfer" -> actions.transfer(Json.text(node, "to"));
            case "dtmf" -> {
                String digits = Json.text(node, "digits");
                if (!digits.matches("[0-9*#A-Da-d]{1,32}")) {
                    throw BotProtocolException.violation(
                            "dtmf.digits must be 1 to 32 of 0-9 * # A-D, not \"" + digits + '"');
                }
                actions.sendDigits(digits.toUpperCase(Locale.ROOT));
            }
            default -> log.debug("bot sent type \"{}\", which this dialect does not define: ignored", type);
        }
    }

    @Override
    public void onBinary(byte[] data, BotActions actions) throws BotProtocolException {
        if (data.length % 2 != 0) {
            throw BotProtocolException.malformed(
                    "audio frames are 16-bit samples: " + data.length + " bytes is not a whole number of them");
        }
        actions.play(Pcm.fromLittleEndian(data, 0, data.length));
    }
}
