package dev.softswitch.bridge.provider.plivo;

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
 * Plivo's stream from the server's side (providers.md 4.2, 4.3): camelCase, a numeric {@code sequenceNumber},
 * {@code streamId}; no {@code connected}, {@code start} first, its {@code extra_headers} ({@code k=v} pairs, ';' or ','
 * between them) carrying our token. We ask for mu-law at 8 kHz; {@code playAudio} goes back, {@code checkpoint} is
 * answered by {@code playedStream}, {@code clearAudio} by {@code clearedAudio}. A {@code stop}, which the Java SDK
 * knows, or the socket's close ends the call.
 */
public final class PlivoStreamCodec implements StreamCodec {

    /** The {@code extraHeaders} name of the call's token. */
    public static final String TOKEN = "token";

    private static final String DIGITS = "0123456789*#ABCD";

    private String streamId = "";

    @Override
    public List<StreamEvent> onText(String text) throws BotProtocolException {
        JsonNode node = Json.parseObject(text);
        String event = Json.text(node, "event");
        return switch (event) {
            case "start" -> List.of(start(node));
            case "media" ->
                node.path("media").path("track").asText("inbound").equals("inbound")
                        ? List.of(new StreamEvent.Audio(
                                WireAudio.fromUlawBase64(Json.text(node, "media.payload"), "media.payload")))
                        : List.of();
            case "dtmf" -> {
                String digit = Json.text(node, "dtmf.digit");
                if (digit.length() != 1 || DIGITS.indexOf(digit.charAt(0)) < 0) {
                    throw BotProtocolException.violation("dtmf.digit \"" + digit + "\" is not one of 0-9 * # A-D");
                }
                yield List.of(new StreamEvent.Dtmf(digit.charAt(0), 0));
            }
            case "playedStream" -> List.of(new StreamEvent.MarkPlayed(Json.text(node, "name")));
            case "stop" -> List.of(new StreamEvent.Stopped(node.path("reason").asText("stop")));
            default -> List.of(); // clearedAudio, and events added later
        };
    }

    private StreamEvent.Started start(JsonNode node) throws BotProtocolException {
        JsonNode start = node.path("start");
        streamId = Json.text(node, "start.streamId");
        String encoding = start.path("mediaFormat").path("encoding").asText("audio/x-mulaw");
        int rate = start.path("mediaFormat").path("sampleRate").asInt(8000);
        if (!encoding.equals("audio/x-mulaw") || rate != 8000) {
            throw BotProtocolException.violation("start.mediaFormat is " + encoding + " at " + rate
                    + " Hz; the answer asked for audio/x-mulaw;rate=8000");
        }
        Map<String, String> headers = extraHeaders(node.path("extra_headers").asText(""));
        return new StreamEvent.Started(
                streamId, start.path("callId").asText(""), headers.get(TOKEN), headers, "PCMU", 8000);
    }

    /** {@code "a=1;b=2"} (or with ',') as a map. */
    static Map<String, String> extraHeaders(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : text.split("[;,]")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
            }
        }
        return out;
    }

    @Override
    public List<StreamEvent> onBinary(byte[] data) throws BotProtocolException {
        throw BotProtocolException.violation("Plivo streams carry JSON text frames only, not binary");
    }

    @Override
    public List<Object> media(short[] frame) {
        ObjectNode play = Json.object().put("event", "playAudio");
        play.putObject("media")
                .put("contentType", "audio/x-mulaw")
                .put("sampleRate", 8000)
                .put("payload", WireAudio.ulawBase64(frame));
        return List.of(Json.write(play));
    }

    @Override
    public @Nullable Object mark(String name) {
        return Json.write(Json.object()
                .put("event", "checkpoint")
                .put("streamId", streamId)
                .put("name", name));
    }

    @Override
    public @Nullable Object clear() {
        return Json.write(Json.object().put("event", "clearAudio").put("streamId", streamId));
    }
}
