package dev.softswitch.app.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.softswitch.app.dial.DialPlan;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads the JSON body of {@code POST /v1/calls} into a {@link CallRequest}: bytes in, a value or an {@link Invalid}
 * naming the field out. It checks shapes and types only; what the values mean (a known trunk, assistant, a number) is
 * {@link DialPlan}'s to judge, as for {@code softswitch dial}.
 */
final class CallRequestDecoder {

    /** The request cannot be read; {@link #field} names the JSON field at fault, if one is. */
    static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;
        private final @Nullable String field;

        Invalid(@Nullable String field, String message) {
            super(message, null, false, false);
            this.field = field;
        }

        @Nullable
        String field() {
            return field;
        }
    }

    static final Set<String> FIELDS =
            Set.of("to", "trunk", "assistant", "variables", "from", "ring_timeout", "max_duration", "provider");

    static final int MAX_VARIABLES = 100;
    static final int MAX_VARIABLE_NAME = 64;

    /** A duration as the configuration writes it ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}) or seconds. */
    private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})(ms|s|m|h)?");

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private CallRequestDecoder() {}

    static CallRequest decode(byte[] body) throws Invalid {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JacksonException e) {
            throw new Invalid(null, "the body is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new Invalid(null, "the body could not be read: " + e.getMessage());
        }
        if (root == null || root.isMissingNode() || !root.isObject()) {
            throw new Invalid(null, "the body must be a JSON object, e.g. {\"to\": \"+15551230000\", ...}");
        }
        for (var names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new Invalid(
                        name.length() > MAX_VARIABLE_NAME ? name.substring(0, MAX_VARIABLE_NAME) : name,
                        "unknown field " + printable(name) + "; the fields are "
                                + String.join(", ", new java.util.TreeSet<>(FIELDS)));
            }
        }
        String to = text(root, "to");
        String assistant = text(root, "assistant");
        return new CallRequest(
                to == null ? "" : to,
                text(root, "trunk"),
                assistant == null ? "" : assistant,
                text(root, "from"),
                variables(root.get("variables")),
                duration(root, "ring_timeout", DialPlan.DEFAULT_RING_TIMEOUT),
                duration(root, "max_duration", DialPlan.DEFAULT_MAX_DURATION),
                text(root, "provider"));
    }

    private static @Nullable String text(JsonNode root, String field) throws Invalid {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new Invalid(
                    field, "must be a string" + (node.isNumber() ? " (write numbers as \"+15551230000\")" : ""));
        }
        return node.textValue();
    }

    private static Map<String, String> variables(@Nullable JsonNode node) throws Invalid {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new Invalid("variables", "must be an object of names to strings, e.g. {\"name\": \"Ada\"}");
        }
        if (node.size() > MAX_VARIABLES) {
            throw new Invalid("variables", "at most " + MAX_VARIABLES + " variables");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String name = e.getKey();
            if (name.isBlank() || name.length() > MAX_VARIABLE_NAME || !name.equals(printableRaw(name))) {
                throw new Invalid(
                        "variables",
                        "variable names are 1 to " + MAX_VARIABLE_NAME + " printable characters: " + printable(name));
            }
            if (!e.getValue().isTextual()) {
                throw new Invalid("variables", "the value of " + printable(name) + " must be a string");
            }
            out.put(name, e.getValue().textValue());
        }
        return out;
    }

    private static Duration duration(JsonNode root, String field, Duration otherwise) throws Invalid {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return otherwise;
        }
        if (node.isNumber()) {
            double seconds = node.doubleValue();
            if (!Double.isFinite(seconds) || Math.abs(seconds) > 1e8) {
                throw new Invalid(field, "not a number of seconds");
            }
            return Duration.ofMillis(Math.round(seconds * 1000));
        }
        if (node.isTextual()) {
            Matcher m = DURATION.matcher(node.textValue().strip());
            if (m.matches()) {
                long amount = Long.parseLong(m.group(1));
                String unit = m.group(2);
                return switch (unit == null ? "s" : unit) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    default -> Duration.ofHours(amount);
                };
            }
        }
        throw new Invalid(
                field, "a duration: seconds as a number (30), or a string such as \"30s\", \"500ms\", \"5m\"");
    }

    /** The text with anything unprintable replaced, so that it can go into a message. */
    private static String printableRaw(String text) {
        return text.replaceAll("[^\\x20-\\x7e\\u00a0-\\uffff]", "?");
    }

    private static String printable(String text) {
        String t = text.length() > 40 ? text.substring(0, 40) + "..." : text;
        return "'" + printableRaw(t) + "'";
    }
}
