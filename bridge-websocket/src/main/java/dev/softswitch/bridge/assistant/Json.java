package dev.softswitch.bridge.assistant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;

/** The JSON helpers the dialects share: one mapper, parsing that fails the bot's way, base64 that says what broke. */
public final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    /** A bot's text message as a JSON object, or a protocol error (1007) saying why not. */
    public static JsonNode parseObject(String message) throws BotProtocolException {
        JsonNode node;
        try {
            node = MAPPER.readTree(message);
        } catch (JsonProcessingException e) {
            throw BotProtocolException.malformed("not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw BotProtocolException.malformed("expected a JSON object");
        }
        return node;
    }

    /** A required text field, or a protocol error (1008) naming it. */
    public static String text(JsonNode node, String path) throws BotProtocolException {
        JsonNode at = node;
        for (String part : path.split("\\.")) {
            at = at.path(part);
        }
        if (!at.isTextual()) {
            throw BotProtocolException.violation(path + " is required (a string)");
        }
        return at.asText();
    }

    /** Base64 audio, or a protocol error (1007) naming the field. */
    public static byte[] base64(String value, String field) throws BotProtocolException {
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw BotProtocolException.malformed(field + " is not base64: " + e.getMessage());
        }
    }
}
