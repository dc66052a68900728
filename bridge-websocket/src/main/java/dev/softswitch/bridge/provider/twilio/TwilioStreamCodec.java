package dev.softswitch.bridge.provider.twilio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softswitch.bridge.assistant.BotProtocolException;
import dev.softswitch.bridge.assistant.Json;
import dev.softswitch.bridge.assistant.WireAudio;
import dev.softswitch.bridge.provider.StreamCodec;
import dev.softswitch.bridge.provider.StreamEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Twilio Media Streams from the server's side (providers.md 1.2, 1.3): {@code connected}, {@code start} (its
 * {@code customParameters} carry our token), {@code media} (base64 mu-law 8 kHz, inbound track), {@code dtmf},
 * {@code mark} (the echo of ours) and {@code stop} in; {@code media}, {@code mark} and {@code clear} out, each with the
 * stream's {@code streamSid}. The same messages {@link dev.softswitch.bridge.assistant.twilio.TwilioDialect} plays
 * toward bots, read from the other end.
 */
public final class TwilioStreamCodec implements StreamCodec {

    /** The {@code <Parameter>} that carries the call's single-use token. */
    public static final String TOKEN = "token";

    private static final String DIGITS = "0123456789*#ABCD";

    private String streamSid = "";

    @Override
    public List<StreamEvent> onText(String text) throws BotProtocolException {
        JsonNode node = Json.parseObject(text);
        String event = Json.text(node, "event");
        return switch (event) {
            case "start" -> List.of(start(node));
            case "media" -> {
                String track = node.path("media").path("track").asText("inbound");
                yield track.equals("inbound")
                        ? List.of(new StreamEvent.Audio(
                                WireAudio.fromUlawBase64(Json.text(node, "media.payload"), "media.payload")))
                        : List.of();
            }
            case "dtmf" -> {
                String digit = Json.text(node, "dtmf.digit");
                if (digit.length() != 1 || DIGITS.indexOf(digit.charAt(0)) < 0) {
                    throw BotProtocolException.violation("dtmf.digit \"" + digit + "\" is not one of 0-9 * # A-D");
                }
                yield List.of(new StreamEvent.Dtmf(digit.charAt(0), 0));
            }
            case "mark" -> List.of(new StreamEvent.MarkPlayed(Json.text(node, "mark.name")));
            case "stop" -> List.of(new StreamEvent.Stopped("stop"));
            default -> List.of(); // connected, and events added later
        };
    }

    private StreamEvent.Started start(JsonNode node) throws BotProtocolException {
        streamSid = Json.text(node, "start.streamSid");
        JsonNode format = node.path("start").path("mediaFormat");
        String encoding = format.path("encoding").asText("audio/x-mulaw");
        int rate = format.path("sampleRate").asInt(8000);
        if (!encoding.equals("audio/x-mulaw") || rate != 8000) {
            throw BotProtocolException.violation("start.mediaFormat is " + encoding + " at " + rate
                    + " Hz; Media Streams carry audio/x-mulaw at 8000");
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        node.path("start").path("customParameters").properties().forEach(e -> {
            if (e.getValue().isTextual()) {
                parameters.put(e.getKey(), e.getValue().asText());
            }
        });
        return new StreamEvent.Started(
                streamSid,
                node.path("start").path("callSid").asText(""),
                parameters.get(TOKEN),
                parameters,
                "PCMU",
                8000);
    }

    @Override
    public List<StreamEvent> onBinary(byte[] data) throws BotProtocolException {
        throw BotProtocolException.violation("Twilio Media Streams carry JSON text frames only, not binary");
    }

    @Override
    public List<Object> media(short[] frame) {
        ObjectNode media = message("media");
        media.putObject("media").put("payload", WireAudio.ulawBase64(frame));
        return List.of(Json.write(media));
    }

    @Override
    public @Nullable Object mark(String name) {
        ObjectNode mark = message("mark");
        mark.putObject("mark").put("name", name);
        return Json.write(mark);
    }

    @Override
    public @Nullable Object clear() {
        return Json.write(message("clear"));
    }

    private ObjectNode message(String event) {
        return Json.object().put("event", event).put("streamSid", streamSid);
    }
}
