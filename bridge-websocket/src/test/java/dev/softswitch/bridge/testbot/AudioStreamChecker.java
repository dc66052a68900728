package dev.softswitch.bridge.testbot;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The plain audio dialect as the softswitch must send it: a well-formed {@code start} first, then binary frames of
 * exactly one 20 ms frame of 16-bit mono PCM at the start's rate, text {@code dtmf}, {@code mark} (echoes only of
 * marks the bot sent, once each), {@code text}, {@code idle}, and {@code stop} last.
 */
final class AudioStreamChecker implements StreamChecker {

    private static final Set<Integer> RATES = Set.of(8000, 16000, 24000);
    private static final Set<String> DIRECTIONS = Set.of("inbound", "outbound");
    private static final List<String> DTMF_METHODS = List.of("rfc4733", "info", "inband");
    private static final List<String> TYPES =
            List.of("start", "dtmf", "mark", "text", "idle", "transfer_failed", "stop");
    private static final Pattern DTMF_DIGIT = Pattern.compile("[0-9*#A-D]");

    private final MarkLedger marks;
    private List<String> found = new ArrayList<>();
    private String label = "";
    private int index = -1;
    private int binaryIndex = -1;
    private boolean started;
    private boolean stopped;
    private int sampleRate;

    AudioStreamChecker(MarkLedger marks) {
        this.marks = marks;
    }

    @Override
    public List<String> onText(JsonNode message) {
        index++;
        found = new ArrayList<>();
        label = "message #" + index + " (" + message.path("type").asText("?") + "): ";
        if (!message.isObject()) {
            add("is not a JSON object");
            return found;
        }
        JsonNode typeNode = message.get("type");
        if (typeNode == null || !typeNode.isTextual()) {
            add("has no string \"type\"");
            return found;
        }
        String type = typeNode.asText();
        if (stopped) {
            add("arrives after stop: stop must be the last message");
        }
        if (!type.equals("start") && !started) {
            add("arrives before start: start must be the first message");
        }
        switch (type) {
            case "start" -> start(message);
            case "dtmf" -> dtmf(message);
            case "mark" -> mark(message);
            case "text" -> expectString(message, "text");
            case "idle" -> {
                JsonNode idle = message.get("idle_ms");
                if (idle == null || !idle.isIntegralNumber() || idle.asLong() <= 0) {
                    add("idle_ms must be a positive whole number of milliseconds, not " + idle);
                }
            }
            case "transfer_failed" -> {
                expectString(message, "to");
                expectString(message, "reason");
            }
            case "stop" -> {
                stopped = true;
                expectString(message, "reason");
            }
            default -> add("type \"" + type + "\" is none of " + TYPES);
        }
        return found;
    }

    @Override
    public List<String> onBinary(int length) {
        binaryIndex++;
        found = new ArrayList<>();
        label = "binary frame #" + binaryIndex + " (" + length + " bytes): ";
        if (stopped) {
            add("arrives after stop: stop must be the last message");
        }
        if (!started) {
            add("arrives before start: start must be the first message");
        } else if (sampleRate > 0 && length != sampleRate / 50 * 2) {
            add("is not one 20 ms frame of 16-bit mono PCM at " + sampleRate + " Hz (" + sampleRate / 50 * 2
                    + " bytes)");
        }
        return found;
    }

    private void start(JsonNode message) {
        if (started) {
            add("a second start");
            return;
        }
        started = true;
        if (index != 0) {
            add("start must be the first message");
        }
        expectText(message, "", "protocol", "softswitch-audio");
        expectInt(message, "", "version", 1);
        JsonNode call = message.path("call");
        if (!call.isObject()) {
            add("has no call object");
        } else {
            for (String field : List.of("id", "from", "to", "assistant", "codec")) {
                if (!call.path(field).isTextual()) {
                    add("call." + field + " must be a string, not " + call.get(field));
                }
            }
            if (call.path("id").asText().isEmpty()) {
                add("call.id is empty");
            }
            if (!DIRECTIONS.contains(call.path("direction").asText(""))
                    || !call.path("direction").isTextual()) {
                add("call.direction must be \"inbound\" or \"outbound\", not " + call.get("direction"));
            }
        }
        JsonNode audio = message.path("audio");
        if (!audio.isObject()) {
            add("has no audio object");
        } else {
            expectText(audio, "audio.", "encoding", "pcm_s16le");
            JsonNode rate = audio.get("sample_rate");
            if (rate == null || !rate.isIntegralNumber() || !RATES.contains(rate.asInt())) {
                add("audio.sample_rate must be the number 8000, 16000 or 24000, not " + rate);
            } else {
                sampleRate = rate.asInt();
            }
            expectInt(audio, "audio.", "channels", 1);
            expectInt(audio, "audio.", "frame_ms", 20);
        }
        JsonNode parameters = message.get("parameters");
        if (parameters == null || !parameters.isObject()) {
            add("parameters must be an object, not " + parameters);
        } else {
            for (Map.Entry<String, JsonNode> entry : parameters.properties()) {
                if (!entry.getValue().isTextual()) {
                    add("parameters is flat string to string; \"" + entry.getKey() + "\" is " + entry.getValue());
                }
            }
        }
        JsonNode greeting = message.get("greeting");
        if (greeting != null && !greeting.isTextual()) {
            add("greeting must be a string or absent, not " + greeting);
        }
    }

    private void dtmf(JsonNode message) {
        JsonNode digit = message.get("digit");
        if (digit == null
                || !digit.isTextual()
                || !DTMF_DIGIT.matcher(digit.asText()).matches()) {
            add("digit must be one of 0-9 * # A-D, not " + digit);
        }
        JsonNode duration = message.get("duration_ms");
        if (duration == null || !duration.isIntegralNumber() || duration.asLong() < 0) {
            add("duration_ms must be a whole number of milliseconds, not " + duration);
        }
        JsonNode method = message.get("method");
        if (method == null || !method.isTextual() || !DTMF_METHODS.contains(method.asText())) {
            add("method must be one of " + DTMF_METHODS + ", not " + method);
        }
    }

    private void mark(JsonNode message) {
        JsonNode played = message.get("played");
        if (played == null || !played.isBoolean()) {
            add("played must be true or false, not " + played);
        }
        JsonNode name = message.get("name");
        if (name == null || !name.isTextual()) {
            add("name must be a string, not " + name);
            return;
        }
        String problem = marks.echo(name.asText());
        if (problem != null) {
            add(problem);
        }
    }

    private void expectString(JsonNode message, String field) {
        JsonNode value = message.get(field);
        if (value == null || !value.isTextual()) {
            add(field + " must be a string, not " + value);
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
