package dev.softswitch.bridge.provider.vonage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softswitch.bridge.assistant.BotProtocolException;
import dev.softswitch.bridge.assistant.Json;
import dev.softswitch.bridge.provider.StreamCodec;
import dev.softswitch.bridge.provider.StreamEvent;
import dev.softswitch.codecs.Pcm;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Vonage's WebSocket from the server's side (providers.md 2.2): {@code websocket:connected} first, text, with the
 * NCCO's {@code headers} flattened into it (our token and the call's uuid among them); then binary frames of 16-bit
 * little-endian PCM both ways, exactly one 20 ms frame per message (320 bytes at 8 kHz, 640 at 16 kHz);
 * {@code websocket:dtmf}; {@code {"action":"notify"}} answered by {@code websocket:notify} (our marks) and
 * {@code {"action":"clear"}} by {@code websocket:cleared}. The call ends when the socket closes.
 */
public final class VonageStreamCodec implements StreamCodec {

    /** The NCCO header that carries the call's token. */
    public static final String TOKEN = "token";

    /** The NCCO header that carries Vonage's uuid of the call. */
    public static final String UUID = "uuid";

    private static final String DIGITS = "0123456789*#ABCD";

    private int rate;

    @Override
    public List<StreamEvent> onText(String text) throws BotProtocolException {
        JsonNode node = Json.parseObject(text);
        String event = Json.text(node, "event");
        return switch (event) {
            case "websocket:connected" -> List.of(connected(node));
            case "websocket:dtmf" -> {
                String digit = Json.text(node, "digit");
                if (digit.length() != 1 || DIGITS.indexOf(digit.charAt(0)) < 0) {
                    throw BotProtocolException.violation("digit \"" + digit + "\" is not one of 0-9 * # A-D");
                }
                yield List.of(new StreamEvent.Dtmf(
                        digit.charAt(0), Math.max(0, node.path("duration").asInt(0))));
            }
            case "websocket:notify" -> List.of(new StreamEvent.MarkPlayed(Json.text(node, "payload.reply_id")));
            default -> List.of(); // websocket:cleared, and events added later
        };
    }

    private StreamEvent.Started connected(JsonNode node) throws BotProtocolException {
        String type = Json.text(node, "content-type");
        rate = switch (type.replace(" ", "")) {
            case "audio/l16;rate=8000" -> 8000;
            case "audio/l16;rate=16000" -> 16000;
            default ->
                throw BotProtocolException.violation(
                        "content-type " + type + ": the softswitch carries audio/l16;rate=8000 or 16000");
        };
        Map<String, String> headers = new LinkedHashMap<>();
        node.properties().forEach(e -> {
            if (e.getValue().isTextual()
                    && !e.getKey().equals("event")
                    && !e.getKey().equals("content-type")) {
                headers.put(e.getKey(), e.getValue().asText());
            }
        });
        String uuid = headers.getOrDefault(UUID, "");
        return new StreamEvent.Started(uuid, uuid, headers.get(TOKEN), headers, "L16", rate);
    }

    @Override
    public List<StreamEvent> onBinary(byte[] data) throws BotProtocolException {
        if (rate == 0) {
            throw BotProtocolException.violation("audio before websocket:connected");
        }
        if (data.length == 0 || data.length % 2 != 0) {
            throw BotProtocolException.malformed("audio of " + data.length + " bytes: 16-bit samples, at least one");
        }
        return List.of(new StreamEvent.Audio(Pcm.fromLittleEndian(data, 0, data.length)));
    }

    @Override
    public List<Object> media(short[] frame) {
        return List.of(Pcm.toLittleEndian(frame));
    }

    @Override
    public @Nullable Object mark(String name) {
        ObjectNode notify = Json.object().put("action", "notify");
        notify.putObject("payload").put("reply_id", name);
        return Json.write(notify);
    }

    @Override
    public @Nullable Object clear() {
        return Json.write(Json.object().put("action", "clear"));
    }
}
