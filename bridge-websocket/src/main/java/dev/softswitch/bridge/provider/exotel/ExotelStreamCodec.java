package dev.softswitch.bridge.provider.exotel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softswitch.bridge.assistant.BotProtocolException;
import dev.softswitch.bridge.assistant.Json;
import dev.softswitch.bridge.assistant.WireAudio;
import dev.softswitch.bridge.provider.StreamCodec;
import dev.softswitch.bridge.provider.StreamEvent;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Exotel's Voicebot stream from the server's side (providers.md 3.3, 3.4): snake_case, string values,
 * {@code stream_sid}; audio base64 16-bit little-endian PCM at 8 kHz both ways. Exotel wants our audio in chunks of
 * whole 320-byte frames, at least 3.2 KB: frames are gathered {@link #CHUNK_FRAMES} at a time, and a last short chunk
 * (the assistant stopped talking, or a mark needs it out) is padded with silence to the minimum.
 */
public final class ExotelStreamCodec implements StreamCodec {

    /** Frames per chunk toward Exotel: 10 x 320 bytes = 3.2 KB, its minimum. */
    static final int CHUNK_FRAMES = 10;

    /** The query parameter (echoed in custom_parameters) that carries the call's token. */
    public static final String TOKEN = "token";

    private static final String DIGITS = "0123456789*#ABCD";

    private String streamSid = "";
    private short[] chunk = new short[0];
    private int frames;

    @Override
    public List<StreamEvent> onText(String text) throws BotProtocolException {
        JsonNode node = Json.parseObject(text);
        String event = Json.text(node, "event");
        return switch (event) {
            case "start" -> List.of(start(node));
            case "media" ->
                List.of(new StreamEvent.Audio(
                        WireAudio.fromL16Base64(Json.text(node, "media.payload"), "media.payload")));
            case "dtmf" -> {
                String digit = Json.text(node, "dtmf.digit");
                if (digit.length() != 1 || DIGITS.indexOf(digit.charAt(0)) < 0) {
                    throw BotProtocolException.violation("dtmf.digit \"" + digit + "\" is not one of 0-9 * # A-D");
                }
                int duration = 0;
                try {
                    duration = Math.max(
                            0,
                            Integer.parseInt(node.path("dtmf").path("duration").asText("0")));
                } catch (NumberFormatException e) {
                    // a duration we cannot read: unknown
                }
                yield List.of(new StreamEvent.Dtmf(digit.charAt(0), duration));
            }
            case "mark" -> List.of(new StreamEvent.MarkPlayed(Json.text(node, "mark.name")));
            case "stop" ->
                List.of(new StreamEvent.Stopped(node.path("stop").path("reason").asText("stop")));
            default -> List.of(); // connected
        };
    }

    private StreamEvent.Started start(JsonNode node) throws BotProtocolException {
        JsonNode start = node.path("start");
        streamSid = node.path("stream_sid").asText(start.path("stream_sid").asText(""));
        String rate = start.path("media_format").path("sample_rate").asText("8000");
        if (!rate.equals("8000")) {
            throw BotProtocolException.violation("start.media_format.sample_rate is " + rate
                    + "; the softswitch streams Exotel at 8000 (sample-rate=8000)");
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        start.path("custom_parameters")
                .properties()
                .forEach(e -> parameters.put(e.getKey(), e.getValue().asText()));
        return new StreamEvent.Started(
                streamSid, start.path("call_sid").asText(""), parameters.get(TOKEN), parameters, "L16", 8000);
    }

    @Override
    public List<StreamEvent> onBinary(byte[] data) throws BotProtocolException {
        throw BotProtocolException.violation("Exotel streams carry JSON text frames only, not binary");
    }

    @Override
    public List<Object> media(short[] frame) {
        if (frames == 0) {
            chunk = new short[frame.length * CHUNK_FRAMES];
        }
        System.arraycopy(frame, 0, chunk, frames * frame.length, frame.length);
        frames++;
        return frames == CHUNK_FRAMES ? List.of(chunkMessage()) : List.of();
    }

    @Override
    public List<Object> flush() {
        return frames == 0 ? List.of() : List.of(chunkMessage()); // padded with the silence already there
    }

    private String chunkMessage() {
        frames = 0;
        ObjectNode media = Json.object().put("event", "media").put("stream_sid", streamSid);
        media.putObject("media").put("payload", WireAudio.l16Base64(chunk));
        return Json.write(media);
    }

    @Override
    public @Nullable Object mark(String name) {
        ObjectNode mark = Json.object().put("event", "mark").put("stream_sid", streamSid);
        mark.putObject("mark").put("name", name);
        return Json.write(mark);
    }

    @Override
    public @Nullable Object clear() {
        frames = 0;
        Arrays.fill(chunk, (short) 0);
        return Json.write(Json.object().put("event", "clear").put("stream_sid", streamSid));
    }
}
