package dev.softswitch.bridge.context;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softswitch.assistant.context.CallContext;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link CallContext} as the JSON kept in Redis: {@code {"v":1,"assistant":...,"variables":{...},"to":...,
 * "trunk":...,"created":"2025-01-01T00:00:00Z"}}. Pure: text in, a value out, or an exception that says what is
 * wrong.
 */
final class CallContextJson {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int VERSION = 1;

    private CallContextJson() {}

    static String write(CallContext context) {
        ObjectNode node = JSON.createObjectNode();
        node.put("v", VERSION);
        node.put("assistant", context.assistantId());
        ObjectNode variables = node.putObject("variables");
        context.variables().forEach(variables::put);
        node.put("to", context.to());
        node.put("trunk", context.trunk());
        node.put("created", context.created().toString());
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings that cannot be written", e);
        }
    }

    /** @throws IllegalArgumentException when {@code text} is not a context this class wrote */
    static CallContext read(String text) {
        try {
            JsonNode node = JSON.readTree(text);
            if (node == null || node.path("v").asInt() != VERSION) {
                throw new IllegalArgumentException("not a call context of version " + VERSION);
            }
            Map<String, String> variables = new LinkedHashMap<>();
            node.path("variables")
                    .properties()
                    .forEach(e -> variables.put(e.getKey(), e.getValue().asText()));
            JsonNode trunk = node.path("trunk");
            return new CallContext(
                    required(node, "assistant"),
                    variables,
                    required(node, "to"),
                    trunk.isTextual() ? trunk.asText() : null,
                    Instant.parse(required(node, "created")));
        } catch (JsonProcessingException | DateTimeParseException e) {
            throw new IllegalArgumentException("unreadable call context: " + e.getMessage(), e);
        }
    }

    private static String required(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (!value.isTextual()) {
            throw new IllegalArgumentException("call context without " + field);
        }
        return value.asText();
    }
}
