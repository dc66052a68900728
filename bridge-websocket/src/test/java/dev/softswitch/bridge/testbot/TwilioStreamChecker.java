package dev.softswitch.bridge.testbot;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Twilio Media Streams as Twilio sends it (shared/reference/providers.md 1.2): {@code connected} (event, protocol and
 * version only, as in the golden example), then {@code start} with {@code sequenceNumber} "1", then media, dtmf and
 * mark echoes, and {@code stop} last. Every message after {@code connected} carries the start's {@code streamSid};
 * {@code sequenceNumber}, {@code chunk} and {@code timestamp} are decimal strings. After a wrong sequence number or
 * chunk the count carries on from the value received, so one gap is reported once.
 */
final class TwilioStreamChecker implements StreamChecker {

    private static final Pattern DECIMAL = Pattern.compile("0|[1-9][0-9]{0,17}");
    private static final Pattern DTMF_DIGIT = Pattern.compile("[0-9*#A-D]");
    private static final Set<String> CONNECTED_FIELDS = Set.of("event", "protocol", "version");
    private static final List<String> EVENTS = List.of("connected", "start", "media", "dtmf", "mark", "stop");

    private final MarkLedger marks;
    private List<String> found = new ArrayList<>();
    private String label = "";
    private int index = -1;
    private int binaryIndex = -1;
    private @Nullable String streamSid;
    private @Nullable String accountSid;
    private @Nullable String callSid;
    private boolean started;
    private boolean stopped;
    private long lastSequence;
    private long lastChunk;
    private long lastTimestamp = -1;

    TwilioStreamChecker(MarkLedger marks) {
        this.marks = marks;
    }

    @Override
    public List<String> onText(JsonNode message) {
        index++;
        found = new ArrayList<>();
        label = "message #" + index + " (" + message.path("event").asText("?") + "): ";
        if (!message.isObject()) {
            add("is not a JSON object");
            return found;
        }
        JsonNode eventNode = message.get("event");
        if (eventNode == null || !eventNode.isTextual()) {
            add("has no string \"event\"");
            return found;
        }
        String event = eventNode.asText();
        if (stopped) {
            add("arrives after stop: stop must be the last message");
        }
        if (index == 0 && !event.equals("connected")) {
            add("the first message must be event \"connected\"");
        } else if (index == 1 && !event.equals("start")) {
            add("the second message must be event \"start\"");
        }
        if (!event.equals("connected")) {
            if (event.equals("start")) {
                start(message); // learns the streamSid the top-level one must equal
            }
            streamSid(message);
            sequenceNumber(message);
            if (!started && !event.equals("start")) {
                add("arrives before start");
            }
        }
        switch (event) {
            case "connected" -> connected(message);
            case "start" -> {}
            case "media" -> media(message);
            case "dtmf" -> dtmf(message);
            case "mark" -> mark(message);
            case "stop" -> stop(message);
            default -> add("event \"" + event + "\" is none of Twilio's " + EVENTS);
        }
        return found;
    }

    @Override
    public List<String> onBinary(int length) {
        binaryIndex++;
        return List.of("binary frame #" + binaryIndex + " (" + length
                + " bytes): Twilio Media Streams sends JSON text frames only, never binary");
    }

    private void connected(JsonNode message) {
        if (index != 0) {
            add("connected must be the first message and only that");
        }
        expectText(message, "", "protocol", "Call");
        expectText(message, "", "version", "1.0.0");
        for (Iterator<String> it = message.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!CONNECTED_FIELDS.contains(field)) {
                add("connected carries only event, protocol and version (providers.md 1.2), not \"" + field
                        + "\"; the sequence starts at 1 on start");
            }
        }
    }

    private void streamSid(JsonNode message) {
        JsonNode sid = message.get("streamSid");
        if (sid == null || !sid.isTextual()) {
            add("has no top-level string streamSid (every message after connected carries one)");
        } else if (streamSid != null && !streamSid.equals(sid.asText())) {
            add("streamSid \"" + sid.asText() + "\" is not start's \"" + streamSid + '"');
        }
    }

    private void sequenceNumber(JsonNode message) {
        JsonNode seq = message.get("sequenceNumber");
        long expected = lastSequence + 1;
        if (seq == null) {
            add("has no sequenceNumber");
            lastSequence = expected;
            return;
        }
        if (!seq.isTextual()) {
            add("sequenceNumber must be a string, not the " + seq.getNodeType() + " " + seq);
        }
        String text = seq.asText();
        if (!DECIMAL.matcher(text).matches()) {
            add("sequenceNumber must be a decimal integer, not " + seq);
            lastSequence = expected;
            return;
        }
        long value = Long.parseLong(text);
        if (value != expected) {
            add("sequenceNumber must be \"" + expected + "\" (starts at 1 on start, +1 per message), not " + seq);
        }
        lastSequence = value;
    }

    private void start(JsonNode message) {
        if (started) {
            add("a second start");
        }
        started = true;
        JsonNode body = message.get("start");
        if (body == null || !body.isObject()) {
            add("has no start object");
            return;
        }
        String sid = sid(body, "streamSid", "MZ");
        if (streamSid == null) {
            streamSid = sid;
            accountSid = sid(body, "accountSid", "AC");
            callSid = sid(body, "callSid", "CA");
        }
        JsonNode tracks = body.get("tracks");
        if (tracks == null
                || !tracks.isArray()
                || tracks.size() != 1
                || !tracks.get(0).isTextual()
                || !tracks.get(0).asText().equals("inbound")) {
            add("start.tracks must be [\"inbound\"], not " + tracks);
        }
        JsonNode format = body.path("mediaFormat");
        if (!format.isObject()) {
            add("has no start.mediaFormat object");
        } else {
            expectText(format, "start.mediaFormat.", "encoding", "audio/x-mulaw");
            expectInt(format, "start.mediaFormat.", "sampleRate", 8000);
            expectInt(format, "start.mediaFormat.", "channels", 1);
        }
        JsonNode custom = body.get("customParameters");
        if (custom == null || !custom.isObject()) {
            add("start.customParameters must be an object, not " + custom);
        } else {
            for (Map.Entry<String, JsonNode> entry : custom.properties()) {
                if (!entry.getValue().isTextual()) {
                    add("start.customParameters is flat string to string; \"" + entry.getKey() + "\" is "
                            + entry.getValue());
                }
            }
        }
    }

    private @Nullable String sid(JsonNode body, String field, String prefix) {
        JsonNode sid = body.get(field);
        if (sid == null || !sid.isTextual()) {
            add("start." + field + " must be a string, not " + sid);
            return null;
        }
        if (!sid.asText().matches(prefix + "[0-9a-fA-F]{32}")) {
            add("start." + field + " \"" + sid.asText() + "\" is not " + prefix
                    + " and 32 hex digits, as Twilio's are");
        }
        return sid.asText();
    }

    private void media(JsonNode message) {
        JsonNode media = message.get("media");
        if (media == null || !media.isObject()) {
            add("has no media object");
            return;
        }
        expectText(media, "media.", "track", "inbound");
        JsonNode chunk = media.get("chunk");
        long expectedChunk = lastChunk + 1;
        if (chunk == null
                || !chunk.isTextual()
                || !DECIMAL.matcher(chunk.asText()).matches()) {
            add("media.chunk must be a decimal string, not " + chunk);
            lastChunk = expectedChunk;
        } else {
            long value = Long.parseLong(chunk.asText());
            if (value != expectedChunk) {
                add("media.chunk must be \"" + expectedChunk + "\" (starts at 1, +1 per media), not " + chunk);
            }
            lastChunk = value;
        }
        JsonNode timestamp = media.get("timestamp");
        if (timestamp == null
                || !timestamp.isTextual()
                || !DECIMAL.matcher(timestamp.asText()).matches()) {
            add("media.timestamp must be a string of milliseconds, not " + timestamp);
        } else {
            long value = Long.parseLong(timestamp.asText());
            if (value < lastTimestamp) {
                add("media.timestamp went back from " + lastTimestamp + " to " + value);
            }
            lastTimestamp = value;
        }
        JsonNode payload = media.get("payload");
        if (payload == null || !payload.isTextual()) {
            add("media.payload must be a base64 string, not " + payload);
        } else if (payload.asText().isEmpty()) {
            add("media.payload is empty");
        } else {
            try {
                Base64.getDecoder().decode(payload.asText());
            } catch (IllegalArgumentException e) {
                add("media.payload is not valid base64: " + e.getMessage());
            }
        }
    }

    private void dtmf(JsonNode message) {
        JsonNode dtmf = message.get("dtmf");
        if (dtmf == null || !dtmf.isObject()) {
            add("has no dtmf object");
            return;
        }
        expectText(dtmf, "dtmf.", "track", "inbound_track");
        JsonNode digit = dtmf.get("digit");
        if (digit == null
                || !digit.isTextual()
                || !DTMF_DIGIT.matcher(digit.asText()).matches()) {
            add("dtmf.digit must be one of 0-9 * # A-D, not " + digit);
        }
    }

    private void mark(JsonNode message) {
        JsonNode name = message.path("mark").get("name");
        if (name == null || !name.isTextual()) {
            add("mark.name must be a string, not " + name);
            return;
        }
        String problem = marks.echo(name.asText());
        if (problem != null) {
            add(problem);
        }
    }

    private void stop(JsonNode message) {
        stopped = true;
        JsonNode stop = message.get("stop");
        if (stop == null || !stop.isObject()) {
            add("has no stop object");
            return;
        }
        if (accountSid != null) {
            expectText(stop, "stop.", "accountSid", accountSid);
        }
        if (callSid != null) {
            expectText(stop, "stop.", "callSid", callSid);
        }
    }

    private void expectText(JsonNode node, String path, String field, String expected) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || !value.asText().equals(expected)) {
            add(path + field + " must be the string \"" + expected + "\", not " + value);
        }
    }

    private void expectInt(JsonNode node, String path, String field, int expected) {
        JsonNode value = node.get(field);
        if (value == null || !value.isIntegralNumber() || value.asLong() != expected) {
            add(path + field + " must be the number " + expected + ", not " + value);
        }
    }

    private void add(String rule) {
        found.add(label + rule);
    }
}
