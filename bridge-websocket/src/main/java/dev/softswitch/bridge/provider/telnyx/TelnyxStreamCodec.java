package dev.softswitch.bridge.provider.telnyx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softswitch.bridge.assistant.BotProtocolException;
import dev.softswitch.bridge.assistant.Json;
import dev.softswitch.bridge.assistant.WireAudio;
import dev.softswitch.bridge.provider.StreamCodec;
import dev.softswitch.bridge.provider.StreamEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Telnyx media streaming from the server's side (providers.md 5.2, 5.3): snake_case, string numbers, {@code stream_id};
 * PCMU both ways in RTP mode. Media may arrive out of order: frames are put back in {@code media.chunk} order, waiting
 * for a missing one at most {@link #WINDOW} frames, then going on without it. The auth token comes with the upgrade
 * ({@code x-telnyx-streaming-auth-token}) and again in {@code connected}.
 */
public final class TelnyxStreamCodec implements StreamCodec {

    /** Chunks held while one is missing (100 ms at 20 ms a chunk). */
    static final int WINDOW = 5;

    private static final String DIGITS = "0123456789*#ABCD";

    private @Nullable String token;
    private final TreeMap<Long, short[]> waiting = new TreeMap<>();
    private long next = -1;
    private long late;

    /** @param token the upgrade's {@code x-telnyx-streaming-auth-token}, if it had one */
    public TelnyxStreamCodec(@Nullable String token) {
        this.token = token;
    }

    @Override
    public List<StreamEvent> onText(String text) throws BotProtocolException {
        JsonNode node = Json.parseObject(text);
        String event = Json.text(node, "event");
        return switch (event) {
            case "connected" -> {
                JsonNode header = node.get("x-telnyx-streaming-auth-token");
                if (token == null && header != null && header.isTextual()) {
                    token = header.asText();
                }
                yield List.of();
            }
            case "start" -> List.of(start(node));
            case "media" -> media(node);
            case "dtmf" -> {
                String digit = Json.text(node, "dtmf.digit");
                if (digit.length() != 1 || DIGITS.indexOf(digit.charAt(0)) < 0) {
                    throw BotProtocolException.violation("dtmf.digit \"" + digit + "\" is not one of 0-9 * # A-D");
                }
                yield List.of(new StreamEvent.Dtmf(digit.charAt(0), 0));
            }
            case "mark" -> List.of(new StreamEvent.MarkPlayed(Json.text(node, "mark.name")));
            case "stop" -> List.of(new StreamEvent.Stopped("stop"));
            case "error" ->
                List.of(new StreamEvent.Stopped(
                        "error " + node.path("payload").path("title").asText("")));
            default -> List.of();
        };
    }

    private StreamEvent.Started start(JsonNode node) throws BotProtocolException {
        JsonNode start = node.path("start");
        JsonNode format = start.path("media_format");
        String encoding = format.path("encoding").asText("PCMU");
        int rate = format.path("sample_rate").asInt(8000);
        if (!encoding.equals("PCMU") || rate != 8000) {
            throw BotProtocolException.violation("start.media_format is " + encoding + " at " + rate
                    + " Hz; the softswitch asks Telnyx for PCMU at 8000 (stream_bidirectional_codec)");
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        start.path("custom_parameters").properties().forEach(e -> {
            if (e.getValue().isTextual()) {
                parameters.put(e.getKey(), e.getValue().asText());
            }
        });
        return new StreamEvent.Started(
                Json.text(node, "stream_id"),
                start.path("call_control_id").asText(""),
                token,
                parameters,
                "PCMU",
                8000);
    }

    private List<StreamEvent> media(JsonNode node) throws BotProtocolException {
        if (!node.path("media").path("track").asText("inbound").equals("inbound")) {
            return List.of();
        }
        short[] pcm = WireAudio.fromUlawBase64(Json.text(node, "media.payload"), "media.payload");
        long chunk;
        try {
            chunk = Long.parseLong(node.path("media").path("chunk").asText(""));
        } catch (NumberFormatException e) {
            return List.of(new StreamEvent.Audio(pcm)); // unnumbered: as it comes
        }
        if (next < 0) {
            next = chunk;
        }
        if (chunk < next) {
            late++;
            return List.of(); // its place has passed
        }
        waiting.put(chunk, pcm);
        List<StreamEvent> out = new ArrayList<>();
        while (!waiting.isEmpty()) {
            Map.Entry<Long, short[]> first = waiting.firstEntry();
            if (first.getKey() != next && waiting.size() <= WINDOW) {
                break; // wait for the missing one a little
            }
            waiting.pollFirstEntry();
            out.add(new StreamEvent.Audio(first.getValue()));
            next = first.getKey() + 1;
        }
        return out;
    }

    /** Chunks that came after their place had passed (dropped). */
    public long lateChunks() {
        return late;
    }

    @Override
    public List<StreamEvent> onBinary(byte[] data) throws BotProtocolException {
        throw BotProtocolException.violation("Telnyx media streams carry JSON text frames only, not binary");
    }

    @Override
    public List<Object> media(short[] frame) {
        ObjectNode media = Json.object().put("event", "media");
        media.putObject("media").put("payload", WireAudio.ulawBase64(frame));
        return List.of(Json.write(media));
    }

    @Override
    public @Nullable Object mark(String name) {
        ObjectNode mark = Json.object().put("event", "mark");
        mark.putObject("mark").put("name", name);
        return Json.write(mark);
    }

    @Override
    public @Nullable Object clear() {
        return Json.write(Json.object().put("event", "clear"));
    }
}
